/**
 * Who may sign in, and what they may read: the config's serve.users, serve.tokens and access, as
 * they are now. `acervo serve` replaces them when it re-reads its config file (SIGHUP, or the file
 * changed), so the web app asks here on every request and never keeps a copy.
 */
import type { Config } from '../config/schema.js';

export type User = Config['serve']['users'][number];
export type Token = Config['serve']['tokens'][number];
export type AccessConfig = Config['access'];

export interface Accounts {
  users(): readonly User[];
  tokens(): readonly Token[];
  access(): AccessConfig;
}

/** The accounts of one config, replaced whole by the next. */
export class ConfigAccounts implements Accounts {
  private current: Pick<Config, 'serve' | 'access'>;

  constructor(config: Pick<Config, 'serve' | 'access'>) {
    this.current = config;
  }

  users(): readonly User[] {
    return this.current.serve.users;
  }

  tokens(): readonly Token[] {
    return this.current.serve.tokens;
  }

  access(): AccessConfig {
    return this.current.access;
  }

  replace(config: Pick<Config, 'serve' | 'access'>): void {
    this.current = config;
  }
}
