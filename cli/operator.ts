/** The operator of a command, as the access log records them and what they did. */
import { userInfo } from 'node:os';
import type { AccessEvent } from '../core/access/access-log.js';
import type { Library } from '../core/library.js';

/** Who runs the command, for the access log: the system account (or $USER where it has none). */
export function operatorName(): string {
  try {
    return userInfo().username;
  } catch {
    return process.env.USER ?? 'unknown';
  }
}

/** Records `event` in the library's access log; the error when it cannot be written (the caller decides what that means). */
export async function recordAccess(library: Library, event: AccessEvent): Promise<Error | null> {
  try {
    const { AccessLog } = await import('../core/access/access-log.js');
    const log = AccessLog.open(library.accessLogFile);
    try {
      log.record(event);
    } finally {
      log.close();
    }
    return null;
  } catch (error) {
    return error as Error;
  }
}
