/** `acervo serve` as a real child process on a free loopback port, with a config of known users. */
import { spawn, type ChildProcess } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { hashPassword, newToken } from '../../web/auth.js';
import { CLI } from './paths.js';

export const USERS = {
  clerk: { name: 'maria', password: 'balcão-de-atendimento-1', role: 'clerk' },
  admin: { name: 'joao.ti', password: 'administrador-do-arquivo', role: 'admin' },
} as const;

export interface RunningServer {
  url: string;
  /** An admin API token, as a script would hold it. */
  token: string;
  /** The server's process id (tests that read what its threads did from /proc). */
  pid: number;
  stderr: () => string;
  stop: () => Promise<void>;
}

export interface TestUser {
  name: string;
  password: string;
  role: string;
  personalData?: boolean;
}

/**
 * `users`: more accounts beside USERS' (archivists, say); `access`: the config's access rules (restricted collections);
 * `portal`: the config's public portal; `config`: other sections of the config; `args`: more arguments for serve (`--public`).
 */
export async function startServer(options: { library: string; folder: string; serve?: Record<string, unknown>; users?: readonly TestUser[]; access?: Record<string, unknown>; portal?: Record<string, unknown>; config?: Record<string, unknown>; args?: readonly string[]; configName?: string }): Promise<RunningServer> {
  const { token, tokenHash } = newToken();
  const accounts: TestUser[] = [...Object.values(USERS), ...(options.users ?? [])];
  const users = await Promise.all(accounts.map(async (user) => ({ name: user.name, role: user.role, passwordHash: await hashPassword(user.password), ...(user.personalData !== undefined ? { personalData: user.personalData } : {}) })));
  const config = path.join(options.folder, options.configName ?? 'acervo.yaml');
  writeFileSync(config, JSON.stringify({ ...options.config, ...(options.access ? { access: options.access } : {}), ...(options.portal ? { portal: options.portal } : {}), library: options.library, serve: { port: 0, users, tokens: [{ name: 'relatorio-noturno', role: 'admin', tokenHash }], ...options.serve } }));
  const child: ChildProcess = spawn(process.execPath, [CLI, 'serve', '--config', config, ...(options.args ?? [])], { stdio: ['ignore', 'ignore', 'pipe'], env: { ...process.env, ACERVO_SESSION_SECRET: 'x'.repeat(40) } });
  let stderr = '';
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`acervo serve did not start:\n${stderr}`)), 30_000);
    child.stderr!.setEncoding('utf8').on('data', (chunk: string) => {
      stderr += chunk;
      const found = /"event":"web.listening","url":"([^"]+)"/.exec(stderr);
      if (found) {
        clearTimeout(timer);
        resolve(found[1]!);
      }
    });
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`acervo serve exited with ${code}:\n${stderr}`));
    });
  });
  return {
    url,
    token,
    pid: child.pid!,
    stderr: () => stderr,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}

/** Signs in and returns the session cookie. */
export async function signIn(url: string, user: { name: string; password: string }): Promise<string> {
  const response = await fetch(`${url}/api/session`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ name: user.name, password: user.password }) });
  if (!response.ok) throw new Error(`sign-in failed: ${response.status} ${await response.text()}`);
  return response.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');
}
