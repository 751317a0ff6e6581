/** `acervo serve`: the clerks' search page and its JSON API. */
import { randomBytes } from 'node:crypto';
import { availableParallelism } from 'node:os';
import { Command, Option } from 'commander';
import { loadConfig } from '../../config/load.js';
import { Catalog } from '../../core/catalog/catalog.js';
import { AppError } from '../../core/errors.js';
import { existingLibrary } from '../../core/library.js';
import { lockLibrary } from '../../core/library-lock.js';
import { rebuildIndex } from '../../core/pipeline/rebuild-index.js';
import { EXIT } from '../exit-codes.js';
import { createLogger } from '../logger.js';
import { openSearchBackend, VERSION } from '../runtime.js';
import type { Config } from '../../config/schema.js';
import type { Library } from '../../core/library.js';
import { searchOnThreads, type ThreadedBackend } from '../../core/search/embedded/search-threads.js';
import type { SearchBackend } from '../../core/search/search-backend.js';
import { requireLibrary } from './library-option.js';

/** How long serve waits for its search threads to warm up before it listens. */
const WARM_UP_MS = 10_000;
/** A session secret shorter than this is a password, not a key. */
const MIN_SECRET_LENGTH = 32;

export function serveCommand(): Command {
  return new Command('serve')
    .description("serve the clerks' search page and the JSON API")
    .option('-l, --library <dir>', 'library folder')
    .addOption(new Option('-p, --port <n>', 'port to listen on (default 8080; 0 picks a free one)').argParser(parsePort))
    .option('--host <address>', 'address to listen on (default 127.0.0.1; 0.0.0.0 for the network, behind HTTPS)')
    .option('-c, --config <file>', 'config file (users, tokens and the rest under serve:)')
    .action(async (flags: { library?: string; config?: string; port?: number; host?: string }) => {
      process.exitCode = await runServe(flags);
    });
}

/** The embedded index searched on worker threads: the HTTP thread only routes requests. */
function searchOffTheServerThread(config: Config, library: Library, backend: SearchBackend): SearchBackend | ThreadedBackend {
  if (config.search.backend !== 'embedded') return backend;
  return searchOnThreads(backend, {
    indexFile: library.indexFile,
    catalogFile: library.catalogFile,
    threads: config.search.threads > 0 ? config.search.threads : Math.min(4, availableParallelism()),
    budgetMs: config.search.timeBudgetMs,
    hardLimitMs: Math.max(10_000, 10 * config.search.timeBudgetMs),
  });
}

function parsePort(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 65535) throw new AppError('USAGE', `--port must be a port number (0–65535), not "${value}".`);
  return n;
}

async function runServe(flags: { library?: string; config?: string; port?: number; host?: string }): Promise<number> {
  const config = loadConfig({ file: flags.config, flags: { library: flags.library, serve: { port: flags.port, host: flags.host } } });
  const library = existingLibrary(requireLibrary(config.library));
  const settings = config.serve;
  if (settings.users.length === 0 && settings.tokens.length === 0) {
    throw new AppError('USAGE', 'No one could sign in: add users under serve.users in the config (password hashes from `acervo hash-password`), or tokens from `acervo make-token`.');
  }
  const log = createLogger({ file: null, name: 'acervo-serve' });
  const configured = process.env[settings.sessionSecretEnv];
  if (configured !== undefined && configured.length < MIN_SECRET_LENGTH) {
    throw new AppError('CONFIG_INVALID', `$${settings.sessionSecretEnv} must hold at least ${MIN_SECRET_LENGTH} characters (e.g. \`openssl rand -base64 32\`).`);
  }
  if (configured === undefined) log.warn({ event: 'web.ephemeral-secret' }, `$${settings.sessionSecretEnv} is not set: sessions end when the server restarts`);
  const sessionSecret = configured === undefined ? randomBytes(32) : Buffer.from(configured);

  const catalog = Catalog.open(library.catalogFile);
  const backend = searchOffTheServerThread(config, library, await openSearchBackend(config, library));
  const { buildWebApp } = await import('../../web/app.js');
  // A rebuild from the page writes the index: it takes the library lock, as `acervo reindex` does.
  const rebuildHoldingLock = async () => {
    const lock = await lockLibrary(library.root, 'acervo serve (re-index)', 0, () => {});
    try {
      return await rebuildIndex(catalog, backend);
    } finally {
      await lock.release();
    }
  };
  const app = await buildWebApp({ library, catalog, backend, settings, sessionSecret, rebuildIndex: rebuildHoldingLock, log, version: VERSION });
  // An empty index beside a catalog with documents (an older Acervo's index, a deleted file) is
  // rebuilt in the background; searches answer meanwhile from what the index holds.
  if (catalog.convertedDocumentIds(0, 1).length > 0 && (await backend.stats()).documents === 0) {
    log.warn({ event: 'index.rebuild-empty' }, 'the search index is empty while the catalog holds documents: rebuilding it from the catalog');
    void rebuildHoldingLock().then(
      (stats) => log.info({ event: 'index.rebuilt', ...stats }, `search index rebuilt: ${stats.documents} document(s), ${stats.pages} page(s)`),
      (error: unknown) => log.error({ event: 'index.rebuild-failed', message: (error as Error).message }, 'could not rebuild the search index now: acervo reindex (or the next ingest) will'),
    );
  }
  if ('ready' in backend) {
    // Listening once the search threads have warmed up with the commonest words (a few seconds at most).
    const started = performance.now();
    const warmed = await backend.ready(WARM_UP_MS);
    log.info({ event: 'web.search-threads-ready', warmed, ms: Math.round(performance.now() - started) }, `search threads ready (${warmed} common words searched ahead)`);
  }
  try {
    const address = await app.listen({ port: settings.port, host: settings.host });
    log.info({ event: 'web.listening', url: address, port: app.server.address() && typeof app.server.address() === 'object' ? (app.server.address() as { port: number }).port : settings.port }, `serving ${library.root} at ${address}`);
  } catch (error) {
    await backend.close();
    catalog.close();
    throw new AppError('USAGE', `Cannot listen on ${settings.host}:${settings.port} (${(error as NodeJS.ErrnoException).code ?? String(error)}); pick another --port.`, { cause: error });
  }
  await new Promise<void>((resolve) => {
    const stop = (signal: NodeJS.Signals) => {
      log.info({ event: 'web.stopping', signal }, 'stopping');
      resolve();
    };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
  await app.close();
  await backend.close();
  catalog.close();
  return EXIT.OK;
}
