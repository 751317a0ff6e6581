/**
 * How many wrong passwords the sign-in form takes, per client address and per account, in memory.
 *
 * The aim: whoever guesses — from one address or from many — gets few tries at a password, and the
 * real user is not locked out for long by someone else's guessing.
 *
 * - Per address: `failuresPerAddress` failures (any names) within `windowMs` and that address is
 *   refused until the oldest of them leaves the window. One address cannot try many names.
 * - Per account: `failuresPerAccount` failures within `windowMs` lock the account for `lockMs`;
 *   while recent locks are remembered, each further failure locks it again for twice as long, up to
 *   `maxLockMs` (1, 2, 4, 8, 15, 15… minutes by default). After the first burst a guesser gets one
 *   try per lock: about four an hour. The escalation is forgotten after `windowMs + maxLockMs`
 *   without a failure.
 * - Whose lock: an address where the account has signed in successfully before (kept in memory, the
 *   last ten per account) counts its failures for that account on its own and is locked on its own.
 *   Every other address shares one count for the account. So guessers from anywhere else (one
 *   address or a botnet) lock the account for everyone *except* the addresses the real user signed
 *   in from; the real user at their usual desk still signs in. On an address they never signed in
 *   from, the real user shares the guessers' lock while the guessing lasts (each lock at most
 *   `maxLockMs`): that is the price of not giving every new address of a botnet fresh tries.
 *   While locked, no password is checked at all: a locked attempt is not a guess.
 * - A successful sign-in clears that address's failures for that account (not the others').
 * - Attempts still being checked count as failures until they are decided, so a burst of parallel
 *   requests gets no more tries than one after the other.
 * - Names that are no user are counted the same way, so a 429 never tells which names exist.
 *
 * Addresses are what Fastify says (request.ip): with serve.trustProxy, the client's address as
 * the configured proxies forward it; a forged X-Forwarded-For from anyone else is ignored.
 */

export interface SignInLimitSettings {
  failuresPerAccount: number;
  failuresPerAddress: number;
  windowMs: number;
  lockMs: number;
  maxLockMs: number;
}

export type SignInVerdict = { allowed: true } | { allowed: false; scope: 'address' | 'account'; retryAfterMs: number };

interface AccountState {
  /** Failures in the window (time, address). */
  failures: { at: number; address: string }[];
  /** Locks in a row so far: the next one lasts lockMs · 2^level. */
  level: number;
  lockedUntil: number;
  lastFailure: number;
}

/** Addresses remembered per account as ones it signed in from. */
const TRUSTED_PER_ACCOUNT = 10;
/** Names and addresses tracked at once; past this, the oldest are forgotten (a flood must not fill the memory). */
const MAX_TRACKED = 100_000;
/** What an attempt refused only because others are still being checked is told to wait. */
const IN_FLIGHT_RETRY_MS = 1000;
/** A name longer than a user's is tracked by its first characters. */
const MAX_NAME = 100;

export class SignInLimits {
  /** Failures per address: (time, name). */
  private readonly addresses = new Map<string, { at: number; name: string }[]>();
  /** Per account, the count shared by the addresses it never signed in from. */
  private readonly shared = new Map<string, AccountState>();
  /** Per account and address it signed in from (keyed by JSON [name, address]): that address's own count. */
  private readonly own = new Map<string, AccountState>();
  private readonly trusted = new Map<string, string[]>();
  /** Attempts whose password is being checked, per address and per count key. */
  private readonly pendingAddresses = new Map<string, number>();
  private readonly pendingAccounts = new Map<string, number>();

  constructor(private readonly settings: SignInLimitSettings) {}

  /**
   * Before the password is checked: may this address try this name now? When it may, the attempt
   * counts as in progress until `failed` or `succeeded`, and the returned `done` must be called
   * once it is decided (in a finally).
   */
  begin(name: string, address: string, now = Date.now()): SignInVerdict & { done?: () => void } {
    const failures = this.recentAddressFailures(address, now);
    const addressPending = this.pendingAddresses.get(address) ?? 0;
    if (failures.length >= this.settings.failuresPerAddress) {
      // Refused until enough of its failures leave the window to bring it under the limit.
      const freedAt = failures[failures.length - this.settings.failuresPerAddress]!.at + this.settings.windowMs;
      return { allowed: false, scope: 'address', retryAfterMs: Math.max(1, freedAt - now) };
    }
    if (failures.length + addressPending >= this.settings.failuresPerAddress) return { allowed: false, scope: 'address', retryAfterMs: IN_FLIGHT_RETRY_MS };
    const [states, key] = this.countOf(name, address);
    const state = states.get(key);
    if (state && state.lockedUntil > now) return { allowed: false, scope: 'account', retryAfterMs: state.lockedUntil - now };
    const accountPending = this.pendingAccounts.get(key) ?? 0;
    const recent = state ? state.failures.filter((failure) => now - failure.at < this.settings.windowMs).length : 0;
    // Once locked recently, the next failure locks again: one attempt at a time.
    const room = state && state.level > 0 && !this.forgotten(state, now) ? 1 : this.settings.failuresPerAccount - recent;
    if (accountPending >= room) return { allowed: false, scope: 'account', retryAfterMs: IN_FLIGHT_RETRY_MS };
    const bump = (map: Map<string, number>, at: string, by: number) => {
      const next = (map.get(at) ?? 0) + by;
      if (next > 0) map.set(at, next);
      else map.delete(at);
    };
    bump(this.pendingAddresses, address, 1);
    bump(this.pendingAccounts, key, 1);
    let decided = false;
    return {
      allowed: true,
      done: () => {
        if (decided) return;
        decided = true;
        bump(this.pendingAddresses, address, -1);
        bump(this.pendingAccounts, key, -1);
      },
    };
  }

  /** A wrong password (or no such user). */
  failed(name: string, address: string, now = Date.now()): void {
    const [states, key] = this.countOf(name, address);
    const failures = this.recentAddressFailures(address, now);
    failures.push({ at: now, name: name.slice(0, MAX_NAME) });
    this.remember(this.addresses, address, failures);

    const { windowMs, lockMs, maxLockMs, failuresPerAccount } = this.settings;
    let state = states.get(key);
    if (!state || this.forgotten(state, now)) state = { failures: [], level: 0, lockedUntil: 0, lastFailure: 0 };
    state.failures = state.failures.filter((failure) => now - failure.at < windowMs);
    state.failures.push({ at: now, address });
    state.lastFailure = now;
    if (state.level > 0 || state.failures.length >= failuresPerAccount) {
      state.lockedUntil = now + Math.min(lockMs * 2 ** state.level, maxLockMs);
      state.level = Math.min(state.level + 1, 30);
      state.failures = [];
    }
    this.remember(states, key, state);
  }

  /** The right password: this address is one the account signs in from, and its failures for the account are forgotten. */
  succeeded(name: string, address: string, now = Date.now()): void {
    const account = name.slice(0, MAX_NAME);
    const shared = this.shared.get(account);
    if (shared) {
      shared.failures = shared.failures.filter((failure) => failure.address !== address && now - failure.at < this.settings.windowMs);
      // Others' escalation stays (it is forgotten with time), or a guesser would start afresh.
      if (shared.failures.length === 0 && shared.lockedUntil <= now && shared.level === 0) this.shared.delete(account);
    }
    this.own.delete(JSON.stringify([account, address]));
    const failures = this.addresses.get(address);
    if (failures) {
      const others = failures.filter((failure) => failure.name !== account);
      if (others.length === 0) this.addresses.delete(address);
      else this.addresses.set(address, others);
    }
    const known = (this.trusted.get(account) ?? []).filter((other) => other !== address);
    known.push(address);
    this.trusted.set(account, known.slice(-TRUSTED_PER_ACCOUNT));
  }

  /** Forgets what no longer limits anyone. */
  prune(now = Date.now()): void {
    const { windowMs } = this.settings;
    for (const [address, failures] of this.addresses) {
      if (failures.every((failure) => now - failure.at >= windowMs)) this.addresses.delete(address);
    }
    for (const states of [this.shared, this.own]) {
      for (const [key, state] of states) if (this.forgotten(state, now)) states.delete(key);
    }
  }

  /** Long enough without a failure (and not locked) that its escalation is over. */
  private forgotten(state: AccountState, now: number): boolean {
    return state.lockedUntil <= now && now - state.lastFailure > this.settings.windowMs + this.settings.maxLockMs;
  }

  /** Which count an attempt at this name from this address goes to, and its key there. */
  private countOf(name: string, address: string): [Map<string, AccountState>, string] {
    const account = name.slice(0, MAX_NAME);
    return this.trusted.get(account)?.includes(address) ? [this.own, JSON.stringify([account, address])] : [this.shared, account];
  }

  private recentAddressFailures(address: string, now: number): { at: number; name: string }[] {
    return (this.addresses.get(address) ?? []).filter((failure) => now - failure.at < this.settings.windowMs);
  }

  private remember<T>(map: Map<string, T>, key: string, value: T): void {
    map.delete(key);
    map.set(key, value);
    if (map.size > MAX_TRACKED) {
      this.prune();
      for (const oldest of map.keys()) {
        if (map.size <= MAX_TRACKED) break;
        map.delete(oldest);
      }
    }
  }
}
