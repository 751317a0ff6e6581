/** A queue worker tells Redis out of reach (wait for it) from other queue faults (look at them). */
import { describe, expect, it } from 'vitest';
import { isConnectionError } from '../../workers/queue/redis-errors.js';

const withCode = (message: string, code: string) => Object.assign(new Error(message), { code });

describe('queue errors', () => {
  it('takes a refused, reset or timed-out connection and a closed client for Redis out of reach', () => {
    expect(isConnectionError(withCode('connect ECONNREFUSED 127.0.0.1:6379', 'ECONNREFUSED'))).toBe(true);
    expect(isConnectionError(withCode('read ECONNRESET', 'ECONNRESET'))).toBe(true);
    expect(isConnectionError(withCode('getaddrinfo ENOTFOUND redis.prefeitura.local', 'ENOTFOUND'))).toBe(true);
    expect(isConnectionError(new Error('Connection is closed.'))).toBe(true);
    expect(isConnectionError(new Error('Reached the max retries per request limit (which is 20). Refer to "maxRetriesPerRequest" option for details.'))).toBe(true);
  });

  it('keeps faults of the queue itself apart: a lost job lock, a refused script, a bug', () => {
    expect(isConnectionError(new Error('Missing lock for job 12. moveToFinished'))).toBe(false);
    expect(isConnectionError(withCode('ERR Error running script (call to f_...): @user_script:1: user_script:1: attempt to compare nil with number', 'ERR'))).toBe(false);
    expect(isConnectionError(new TypeError("Cannot read properties of undefined (reading 'relativePath')"))).toBe(false);
  });
});
