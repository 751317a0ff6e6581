/**
 * `acervo worker --queue redis://…`: an OCR worker for a coordinator (`acervo ingest|watch
 * --queue …`) on any machine that reaches the same Redis server and the same shared storage.
 */
import { Command, Option } from 'commander';
import { loadConfig } from '../../config/load.js';
import { AppError } from '../../core/errors.js';
import { EXIT } from '../exit-codes.js';
import { createLogger } from '../logger.js';
import { documentsInHand, pipelineContext, startOcr } from '../runtime.js';
import { parsePositiveInt } from './ingest.js';

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
    .option('--queue <url>', 'the Redis server, e.g. redis://10.0.0.5:6379 (also queue.url, ACERVO_QUEUE)')
    .addOption(new Option('-j, --jobs <n>', 'OCR workers, one per core by default; twice as many documents are kept in hand').argParser(parsePositiveInt))
    .option('--path-map <from=to...>', "where the coordinator's folders are on this machine, e.g. /srv/acervo=/mnt/acervo (also queue.paths)")
    .option('--log-file <file>', 'also write the JSON log lines to this file')
    .option('-c, --config <file>', 'config file (default: ./acervo.yaml if present)')
    .action(async (flags: WorkerFlags) => {
      process.exitCode = await runWorker(flags);
    });
}

async function runWorker(flags: WorkerFlags): Promise<number> {
  const config = loadConfig({ file: flags.config, flags: { ocr: { jobs: flags.jobs }, queue: { url: flags.queue } } });
  const settings = { ...config.queue, paths: [...(flags.pathMap ?? []).map(parsePathMap), ...config.queue.paths] };
  if (!settings.url) throw new AppError('USAGE', 'No queue: give --queue redis://host:port (or queue.url in the config, or ACERVO_QUEUE).');
  const log = createLogger({ file: flags.logFile ?? null, name: 'acervo-worker' });
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
  }
}

function parsePathMap(value: string): { from: string; to: string } {
  const at = value.indexOf('=');
  if (at <= 0 || at === value.length - 1) throw new AppError('USAGE', `"${value}" is not a path mapping: write from=to, e.g. /srv/acervo=/mnt/acervo.`);
  return { from: value.slice(0, at), to: value.slice(at + 1) };
}
