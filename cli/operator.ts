import { userInfo } from 'node:os';

/** Who runs the command, for the access log: the system account (or $USER where it has none). */
export function operatorName(): string {
  try {
    return userInfo().username;
  } catch {
    return process.env.USER ?? 'unknown';
  }
}
