/**
 * `acervo worker --queue redis://…`: an OCR worker for a coordinator (`acervo ingest|watch
 * --queue …`) on any machine that reaches the same Redis server and the same shared storage.
 */
import { Command } from 'commander';
import { loadConfig } from '../../config/load.js';
import { AppError } from '../../core/errors.js';
import { EXIT } from '../exit-codes.js';
import { openLog } from '../logger.js';
import { configOption, jobsOption, logFileOption, queueOption } from '../options.js';
import { documentsInHand, pipelineContext, startOcr } from '../runtime.js';

interface WorkerFlags {
  queue?: string;
  config?: string;
  jobs?: number;
  logFile?: string;
  pathMap?: string[];
}

export function workerCommand(): Command {
  return new Command('worker')
    .description('take documents from a job queue (Redis) and convert them for a coordinator on another machine')
    .addOption(queueOption('the Redis server, e.g. redis://10.0.0.5:6379 (also queue.url, ACERVO_QUEUE)'))
    .addOption(jobsOption('documents'))
    .option('--path-map <from=to...>', "where the coordinator's folders are on this machine, e.g. /srv/acervo=/mnt/acervo (also queue.paths)")
    .addOption(logFileOption())
    .addOption(configOption())
    .action(async (flags: WorkerFlags) => {
      process.exitCode = await runWorker(flags);
    });
}

async function runWorker(flags: WorkerFlags): Promise<number> {
  const config = loadConfig({ file: flags.config, flags: { ocr: { jobs: flags.jobs }, queue: { url: flags.queue } } });
  const settings = { ...config.queue, paths: [...(flags.pathMap ?? []).map(parsePathMap), ...config.queue.paths] };
  if (!settings.url) throw new AppError('USAGE', 'No queue: give --queue redis://host:port (or queue.url in the config, or ACERVO_QUEUE).');
  const { log, close: closeLog } = await openLog({ command: 'worker', stderr: true, file: flags.logFile ?? null, rotation: config.logging });
  const controller = new AbortController();
  const onSignal = (signal: NodeJS.Signals) => {
    if (controller.signal.aborted) {
      log.warn({ event: 'worker.killed', signal }, 'stopping at once: the jobs in hand go back to the queue after the visibility timeout');
      process.exit(EXIT.INTERRUPTED);
    }
    log.info({ event: 'worker.stopping', signal }, 'stopping: no new jobs; finishing the ones in hand (signal again to quit at once)');
    controller.abort();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  try {
    const { runQueueWorker } = await import('../../workers/queue/queue-worker.js');
    await runQueueWorker({
      settings,
      // The job says which languages; the machine's config says how many OCR workers.
      startContext: async (languages) => pipelineContext(await startOcr({ ...config, ocr: { ...config.ocr, languages: [...languages] } })),
      concurrency: documentsInHand(config),
      log,
      signal: controller.signal,
    });
    return EXIT.OK;
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    await closeLog();
  }
}

function parsePathMap(value: string): { from: string; to: string } {
  const at = value.indexOf('=');
  if (at <= 0 || at === value.length - 1) throw new AppError('USAGE', `"${value}" is not a path mapping: write from=to, e.g. /srv/acervo=/mnt/acervo.`);
  return { from: value.slice(0, at), to: value.slice(at + 1) };
}
