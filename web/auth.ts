/**
 * Who may use the search page. Users and their roles come from the config, with scrypt password
 * hashes; scripts use API tokens, kept in the config as SHA-256 hashes. A signed-in browser holds
 * only a random session id (web/sessions.ts); who it is, is looked up on every request.
 *
 *     clerk: search and read documents
 *     archivist: all a clerk may, and editing the catalog (when the page offers it)
 *     admin: all an archivist may, and the status and re-index
 */
import { createHash, randomBytes, scrypt as scryptCallback, timingSafeEqual, type BinaryLike, type ScryptOptions } from 'node:crypto';
import { ROLES, type Role } from '../config/schema.js';

export { ROLES, type Role };
const RANK: Record<Role, number> = { clerk: 1, archivist: 2, admin: 3 };

export interface Principal {
  name: string;
  role: Role;
  /** May see people's taxpayer numbers (LGPD); the others see them masked. */
  personalData: boolean;
}

export function mayAct(principal: Principal, needed: Role): boolean {
  return RANK[principal.role] >= RANK[needed];
}

/** A user's or token's rights as routes see them: admins see personal data unless the config says no, the others only when it says yes. */
export function principalOf(account: { name: string; role: Role; personalData?: boolean | undefined }): Principal {
  return { name: account.name, role: account.role, personalData: account.personalData ?? account.role === 'admin' };
}

function scrypt(password: BinaryLike, salt: BinaryLike, keylen: number, options: ScryptOptions): Promise<Buffer> {
  return new Promise((resolve, reject) => scryptCallback(password, salt, keylen, options, (error, key) => (error ? reject(error) : resolve(key))));
}

/** N=2^14, r=8, p=1: tens of milliseconds per sign-in on a small server, costly to guess offline. */
const SCRYPT = { N: 16384, r: 8, p: 1, keylen: 32 };

/** `scrypt$N$r$p$salt$hash` (base64url), for the config's `passwordHash`. */
export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16);
  const hash = await scrypt(password.normalize('NFC'), salt, SCRYPT.keylen, { N: SCRYPT.N, r: SCRYPT.r, p: SCRYPT.p, maxmem: 64 * 1024 * 1024 });
  return ['scrypt', SCRYPT.N, SCRYPT.r, SCRYPT.p, salt.toString('base64url'), hash.toString('base64url')].join('$');
}

export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const [kind, n, r, p, salt, hash] = stored.split('$');
  if (kind !== 'scrypt' || !salt || !hash) return false;
  const expected = Buffer.from(hash, 'base64url');
  const actual = await scrypt(password.normalize('NFC'), Buffer.from(salt, 'base64url'), expected.length, { N: Number(n), r: Number(r), p: Number(p), maxmem: 256 * 1024 * 1024 });
  return actual.length === expected.length && timingSafeEqual(actual, expected);
}

/** A new API token and the `sha256$…` hash the config keeps (the token itself is shown once). */
export function newToken(): { token: string; tokenHash: string } {
  const token = `acv_${randomBytes(24).toString('base64url')}`;
  return { token, tokenHash: tokenHash(token) };
}

export function tokenHash(token: string): string {
  return `sha256$${createHash('sha256').update(token).digest('base64url')}`;
}

export function sameSecret(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}
