/**
 * Which files some process holds open for writing: a copy or a scanner's driver still at work,
 * or Samba writing a file for a Windows client. Read from Linux's /proc (every process this user
 * may see); elsewhere, and for writers on other machines, nothing is known and the watcher relies
 * on the file staying unchanged.
 */
import { readdir, readFile, readlink } from 'node:fs/promises';

/** O_WRONLY and O_RDWR: the low two bits of the open flags. */
const WRITE_MODES = 0o3;

export async function openForWriting(files: ReadonlySet<string>): Promise<Set<string>> {
  const writing = new Set<string>();
  if (process.platform !== 'linux' || files.size === 0) return writing;
  let pids: string[];
  try {
    pids = (await readdir('/proc')).filter((name) => /^\d+$/.test(name));
  } catch {
    return writing;
  }
  for (const pid of pids) {
    let fds: string[];
    try {
      fds = await readdir(`/proc/${pid}/fd`);
    } catch {
      continue; // gone, or not ours to see
    }
    for (const fd of fds) {
      try {
        const target = await readlink(`/proc/${pid}/fd/${fd}`);
        if (!files.has(target)) continue;
        const flags = /^flags:\s+([0-7]+)/m.exec(await readFile(`/proc/${pid}/fdinfo/${fd}`, 'utf8'));
        if (flags && (parseInt(flags[1]!, 8) & WRITE_MODES) !== 0) writing.add(target);
      } catch {
        // closed meanwhile
      }
    }
  }
  return writing;
}
