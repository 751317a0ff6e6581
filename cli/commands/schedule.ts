/**
 * `acervo schedule "<cron>" -- <command...>`: runs an acervo command on a cron schedule, in this
 * process (croner), for sites without cron or systemd timers. Runs never overlap: a tick that
 * comes while the last run still works is skipped (and the library lock stops any other run).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { Command } from 'commander';
import { Cron } from 'croner';
import { AppError } from '../../core/errors.js';
import { EXIT } from '../exit-codes.js';
import { ConfigSchema } from '../../config/schema.js';
import { logFileOption } from '../options.js';
import { openLog } from '../logger.js';

const CLI = fileURLToPath(new URL('../main.js', import.meta.url));

export function scheduleCommand(): Command {
  return new Command('schedule')
    .description('run an acervo command on a cron schedule, e.g. acervo schedule "0 22 * * *" -- ingest /scans --library /srv/acervo --until 06:00')
    .argument('<cron>', 'a cron expression: minute hour day month weekday (a sixth field first for seconds)')
    .argument('<command...>', 'the acervo command and its arguments, after --')
    .option('--tz <zone>', 'the time zone the expression is in (default: the machine\'s), e.g. America/Sao_Paulo')
    .addOption(logFileOption())
    .action(async (expression: string, command: string[], flags: { tz?: string; logFile?: string }) => {
      process.exitCode = await runSchedule(expression, command, flags);
    });
}

async function runSchedule(expression: string, command: string[], flags: { tz?: string; logFile?: string }): Promise<number> {
  if (command[0] === 'schedule') throw new AppError('USAGE', 'A schedule cannot run another schedule.');
  // The scheduled command reads the config; the schedule's own file rotates as the defaults say.
  const { log, close: closeLog } = await openLog({ command: 'schedule', stderr: true, file: flags.logFile ?? null, rotation: ConfigSchema.shape.logging.parse({}) });
  let child: ChildProcess | null = null;
  let stopping = false;
  let job: Cron;
  try {
    job = new Cron(expression, { timezone: flags.tz, protect: (skipped) => log.warn({ event: 'schedule.skipped', at: skipped.currentRun()?.toISOString() }, 'the last run is still going: this one is skipped') }, async () => {
      const started = Date.now();
      log.info({ event: 'schedule.run', command }, `running acervo ${command.join(' ')}`);
      const code = await new Promise<number | null>((resolve) => {
        child = spawn(process.execPath, [CLI, ...command], { stdio: ['ignore', 'inherit', 'inherit'] });
        child.on('exit', (exitCode) => resolve(exitCode));
        child.on('error', () => resolve(null));
      });
      child = null;
      // A run cut short by our own stop says so: its exit code is the interruption's, not a failure.
      log.info({ event: 'schedule.finished', command, exitCode: code, ...(stopping ? { stopped: true } : {}), seconds: Math.round((Date.now() - started) / 100) / 10, next: job.nextRun()?.toISOString() }, `finished with exit code ${code}`);
    });
  } catch (error) {
    throw new AppError('USAGE', `"${expression}" is not a cron expression croner understands (${(error as Error).message}).`, { cause: error });
  }
  log.info({ event: 'schedule.started', expression, timezone: flags.tz ?? null, command, next: job.nextRun()?.toISOString() }, `next run at ${job.nextRun()?.toISOString()}`);
  await new Promise<void>((resolve) => {
    const stop = () => {
      stopping = true;
      job.stop();
      const running = child as ChildProcess | null;
      if (!running) return resolve();
      log.info({ event: 'schedule.stopping' }, 'stopping: letting the run in hand finish');
      running.once('exit', () => resolve());
      running.kill('SIGTERM');
    };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
  await closeLog();
  return EXIT.OK;
}
