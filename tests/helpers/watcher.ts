/** A long-running `acervo` command (`watch` by default, or `worker`) as a real child process, with its JSON log lines parsed as they come. */
import { spawn, type ChildProcess } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { numberedPage } from '../../bench/numbered-page.js';
import { CLI } from './paths.js';

export { numberedPage };

export interface LogLine {
  level: number;
  event?: string;
  file?: string;
  msg: string;
  [key: string]: unknown;
}

export class Watcher {
  readonly lines: LogLine[] = [];
  stderr = '';
  private readonly child: ChildProcess;
  private readonly exit: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  private waiters: Array<() => void> = [];

  constructor(args: readonly string[], options: { cwd: string; env?: NodeJS.ProcessEnv; command?: string }) {
    this.child = spawn(process.execPath, [CLI, options.command ?? 'watch', ...args], { cwd: options.cwd, env: { ...process.env, NO_COLOR: '1', ...options.env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let partial = '';
    this.child.stderr!.setEncoding('utf8').on('data', (chunk: string) => {
      this.stderr += chunk;
      partial += chunk;
      const complete = partial.split('\n');
      partial = complete.pop()!;
      for (const line of complete) {
        try {
          this.lines.push(JSON.parse(line) as LogLine);
        } catch {
          // not a log line (an error line before the logger started)
        }
      }
      this.waiters.forEach((wake) => wake());
    });
    this.child.stdout!.resume();
    this.exit = new Promise((resolve) => this.child.on('exit', (code, signal) => resolve({ code, signal })));
    this.exit.then(() => this.waiters.forEach((wake) => wake()));
  }

  get pid(): number {
    return this.child.pid!;
  }

  events(event: string): LogLine[] {
    return this.lines.filter((line) => line.event === event);
  }

  /** Resolves with the first log line that passes `test` (waiting for it), or fails after `timeoutMs`. */
  async waitFor(test: (line: LogLine) => boolean, timeoutMs = 120_000, what = 'a log line'): Promise<LogLine> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = this.lines.find(test);
      if (found) return found;
      if (this.child.exitCode !== null || this.child.signalCode !== null) throw new Error(`acervo watch exited before ${what}:\n${this.stderr}`);
      if (Date.now() > deadline) throw new Error(`no ${what} within ${timeoutMs} ms:\n${this.stderr}`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, 200);
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
      this.waiters = [];
    }
  }

  async waitForEvents(event: string, count: number, timeoutMs = 120_000): Promise<LogLine[]> {
    await this.waitFor(() => this.events(event).length >= count, timeoutMs, `${count} "${event}" line(s)`);
    return this.events(event);
  }

  signal(signal: NodeJS.Signals): void {
    this.child.kill(signal);
  }

  exited(timeoutMs = 120_000): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
    return Promise.race([
      this.exit,
      new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`acervo watch did not exit within ${timeoutMs} ms:\n${this.stderr}`)), timeoutMs)),
    ]);
  }
}

export async function writeNumberedPages(folder: string, numbers: readonly number[]): Promise<string[]> {
  const files: string[] = [];
  for (const n of numbers) {
    const file = path.join(folder, `doc-${String(n).padStart(4, '0')}.png`);
    writeFileSync(file, await numberedPage(n));
    files.push(file);
  }
  return files;
}
