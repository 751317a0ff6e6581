/** One watcher per inbox: a lock inside the inbox (see core/folder-lock.ts). */
import path from 'node:path';
import { lockFolder, type FolderLock } from '../core/folder-lock.js';

export const LOCK_NAME = '.acervo-watch.lock';

export type InboxLock = FolderLock;

export function lockInbox(inboxRoot: string, library: string, onLost: (error: Error) => void): Promise<InboxLock> {
  return lockFolder({
    folder: inboxRoot,
    lockPath: path.join(inboxRoot, LOCK_NAME),
    holder: `acervo watch (library ${library})`,
    code: 'INBOX_LOCKED',
    what: `the inbox ${inboxRoot}`,
    onLost,
  });
}
