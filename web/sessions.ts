/**
 * Signed-in browsers, kept by the server. The cookie holds only a random 256-bit id; the server
 * keeps, per session, the user's name, when it began and was last used, and a fingerprint of the
 * user's credentials and rights. So a session ends for good when the user signs out (the old cookie
 * no longer opens anything), after `idleMs` without a request, `absoluteMs` after sign-in, and at
 * its next request once the user is removed or their password, role or personal-data right changes.
 *
 * Sessions live in memory only: restarting `acervo serve` signs everyone out. The store is keyed by
 * the SHA-256 of the id, so not even the server's memory holds a cookie that would open a session.
 */
import { createHash, randomBytes } from 'node:crypto';
import type { Role } from './auth.js';

export interface Session {
  name: string;
  /** Of the user's name, password hash, role and personal-data right when they signed in. */
  fingerprint: string;
  created: number;
  lastSeen: number;
}

export interface SessionTimeouts {
  /** Without a request for this long, a session ends. */
  idleMs: number;
  /** This long after sign-in, a session ends however busy. */
  absoluteMs: number;
}

/** 32 random bytes in base64url. */
const SESSION_ID = /^[A-Za-z0-9_-]{43}$/;
/** Sessions one user may hold at once (browsers, tabs signed in anew): the oldest ends first. */
const MAX_SESSIONS_PER_USER = 20;

type Credentials = { name: string; passwordHash: string; role: Role; personalData?: boolean | undefined };
/** Per user object of a config (a new config has new objects): no hashing on every request. */
const fingerprints = new WeakMap<Credentials, string>();

/** Changes when the user's password, role or right to see personal data changes (or they are someone else). */
export function credentialsFingerprint(user: Credentials): string {
  let fingerprint = fingerprints.get(user);
  if (fingerprint === undefined) {
    const personalData = user.personalData ?? user.role === 'admin';
    fingerprint = createHash('sha256').update(JSON.stringify([user.name, user.passwordHash, user.role, personalData])).digest('base64url');
    fingerprints.set(user, fingerprint);
  }
  return fingerprint;
}

const keyOf = (id: string) => createHash('sha256').update(id).digest('base64url');

export class SessionStore {
  private readonly sessions = new Map<string, Session>();

  constructor(private readonly timeouts: SessionTimeouts) {}

  get size(): number {
    return this.sessions.size;
  }

  /** A new session for this user; returns the id the cookie carries. */
  create(user: Credentials, now = Date.now()): string {
    const id = randomBytes(32).toString('base64url');
    const mine = [...this.sessions].filter(([, session]) => session.name === user.name);
    for (const [key] of mine.slice(0, Math.max(0, mine.length - MAX_SESSIONS_PER_USER + 1))) this.sessions.delete(key);
    this.sessions.set(keyOf(id), { name: user.name, fingerprint: credentialsFingerprint(user), created: now, lastSeen: now });
    return id;
  }

  /** The live session behind a cookie value, now marked as used; null when unknown, signed out or timed out. */
  use(id: string, now = Date.now()): Session | null {
    if (!SESSION_ID.test(id)) return null;
    const key = keyOf(id);
    const session = this.sessions.get(key);
    if (!session) return null;
    if (this.expired(session, now)) {
      this.sessions.delete(key);
      return null;
    }
    session.lastSeen = now;
    return session;
  }

  /** Ends a session (sign-out); returns it if it was live. */
  end(id: string, now = Date.now()): Session | null {
    if (!SESSION_ID.test(id)) return null;
    const key = keyOf(id);
    const session = this.sessions.get(key);
    if (!session) return null;
    this.sessions.delete(key);
    return this.expired(session, now) ? null : session;
  }

  /** Drops the sessions that timed out, and those `keep` no longer accepts (user removed or changed). */
  prune(now = Date.now(), keep: (session: Session) => boolean = () => true): number {
    let dropped = 0;
    for (const [key, session] of this.sessions) {
      if (this.expired(session, now) || !keep(session)) {
        this.sessions.delete(key);
        dropped++;
      }
    }
    return dropped;
  }

  private expired(session: Session, now: number): boolean {
    return now - session.lastSeen > this.timeouts.idleMs || now - session.created > this.timeouts.absoluteMs;
  }
}
