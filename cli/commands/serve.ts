/**
 * `acervo serve`: the clerks' search page and its JSON API.
 *
 * Users, tokens and the access rules (serve.users, serve.tokens, access) follow the config file
 * while serve runs: it is read again on SIGHUP and when the file changes. A config that no longer
 * loads is logged and ignored (the one before stays). Other settings need a restart.
 */
import { existsSync, watch, type FSWatcher } from 'node:fs';
import { availableParallelism } from 'node:os';
import path from 'node:path';
import { Command, Option } from 'commander';
import type { Logger } from 'pino';
import { configFile, loadConfig } from '../../config/load.js';
import { AccessLog } from '../../core/access/access-log.js';
import { AccessPolicy } from '../../core/access/policy.js';
import { Catalog } from '../../core/catalog/catalog.js';
import { AppError } from '../../core/errors.js';
import { existingLibrary } from '../../core/library.js';
import { lockLibrary, lockLibraryBriefly } from '../../core/library-lock.js';
import { syncIndex } from '../../core/pipeline/index-sync.js';
import { rebuildIndex } from '../../core/pipeline/rebuild-index.js';
import { EXIT } from '../exit-codes.js';
import { openLog } from '../logger.js';
import { openSearchBackend, PRODUCER, VERSION } from '../runtime.js';
import type { Config } from '../../config/schema.js';
import type { Library } from '../../core/library.js';
import { searchOnThreads, type ThreadedBackend } from '../../core/search/embedded/search-threads.js';
import type { SearchBackend } from '../../core/search/search-backend.js';
import { ConfigAccounts } from '../../web/accounts.js';
import { PdfRewriteQueue } from '../../web/pdf-rewrite-queue.js';
import { PublicSet } from '../../web/portal/public-set.js';
import { requireLibrary } from './library-option.js';
import { configOption, libraryOption } from '../options.js';

/** How long serve waits for its search threads to warm up before it listens. */
const WARM_UP_MS = 10_000;
/** Edits come in bursts (an editor writes, renames, touches): the file is read once they settle. */
const RELOAD_DEBOUNCE_MS = 250;
/** The access log drops entries past their retention at start and then once a day. */
const ACCESS_LOG_PRUNE_MS = 24 * 3600_000;

export function serveCommand(): Command {
  return new Command('serve')
    .description("serve the clerks' search page and the JSON API")
    .addOption(libraryOption())
    .addOption(new Option('-p, --port <n>', 'port to listen on (default 8080; 0 picks a free one)').argParser(parsePort))
    .option('--host <address>', 'address to listen on (default 127.0.0.1; 0.0.0.0 for the network, behind HTTPS)')
    .addOption(configOption('config file (users, tokens and the rest under serve:)'))
    .option('--public', 'serve only the public Transparência portal (no sign-in, public documents as redacted copies; see portal: in the config)')
    .action(async (flags: { library?: string; config?: string; port?: number; host?: string; public?: boolean }) => {
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

/** The config file serve reads (as the loader picks it), or null when it runs on defaults and flags alone. */
function configFileOf(flags: { config?: string }): string | null {
  const { file, explicit } = configFile({ file: flags.config });
  return explicit || existsSync(file) ? file : null;
}

async function runServe(flags: { library?: string; config?: string; port?: number; host?: string; public?: boolean }): Promise<number> {
  const load = () => loadConfig({ file: flags.config, flags: { library: flags.library, serve: { port: flags.port, host: flags.host } } });
  const config = load();
  const library = existingLibrary(requireLibrary(config.library));
  const settings = config.serve;
  const publicOnly = flags.public === true;
  if (publicOnly && config.portal.publicCollections.length === 0 && config.portal.publicTypes.length === 0) {
    throw new AppError('USAGE', 'Nothing would be public: name the public collections or types under portal.publicCollections or portal.publicTypes in the config.');
  }
  if (!publicOnly && settings.users.length === 0 && settings.tokens.length === 0) {
    throw new AppError('USAGE', 'No one could sign in: add users under serve.users in the config (password hashes from `acervo hash-password`), or tokens from `acervo make-token`.');
  }
  // Its lines go to stderr, for the service manager; what clerks do goes to the access log.
  const { log } = await openLog({ command: 'serve', stderr: true, file: null, rotation: config.logging });
  const accounts = new ConfigAccounts(config);

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
  // A correction is indexed at once, holding the lock as any writer of the index; while a run holds
  // it (an ingest), the update waits in the outbox and that run's next sync applies it. Held briefly:
  // a run starting meanwhile waits for it rather than refusing.
  const syncHoldingLock = async (): Promise<boolean> => {
    let lock: Awaited<ReturnType<typeof lockLibrary>>;
    try {
      lock = await lockLibraryBriefly(library.root, 'acervo serve (a correction)');
    } catch (error) {
      if (error instanceof AppError && error.code === 'LIBRARY_LOCKED') return false;
      throw error;
    }
    try {
      return (await syncIndex(catalog, backend)).error === null;
    } finally {
      await lock.release();
    }
  };
  // Corrections into the PDFs, after the answer: holding the lock, as any writer of the library's
  // files; while a run holds it, the PDF waits (and is served as corrected) for the next correction
  // or acervo apply-corrections.
  const pdfRewrites = new PdfRewriteQueue(async (documentId) => {
    let lock: Awaited<ReturnType<typeof lockLibrary>>;
    try {
      lock = await lockLibraryBriefly(library.root, 'acervo serve (corrections into a PDF)');
    } catch (error) {
      if (error instanceof AppError && error.code === 'LIBRARY_LOCKED') {
        log.info({ event: 'pdf.rewrite-deferred', documentId }, `document ${documentId}'s PDF waits for its corrections: another run holds the library`);
        return;
      }
      throw error;
    }
    try {
      const { applyCorrections } = await import('../../core/pipeline/apply-corrections.js');
      const outcome = await applyCorrections({ library, catalog, producer: PRODUCER }, [documentId]);
      for (const document of outcome.documents) {
        if (document.error) log.error({ event: 'pdf.rewrite-failed', documentId, code: document.error.code }, document.error.message);
        else log.info({ event: 'pdf.rewritten', documentId, sha256: document.sha256, correctionsSeq: document.correctionsSeq }, `rewrote ${document.outputPath} with its corrections`);
      }
    } finally {
      await lock.release();
    }
  }, log);
  // What each user may see follows the config's access rules, as re-read.
  const collectionNames = () => catalog.collections().map((entry) => entry.collection);
  let policy = new AccessPolicy(config.access.restrictedCollections, collectionNames);
  let personalDataCollections: readonly string[] = config.access.personalDataCollections;
  const accessLog = AccessLog.open(library.accessLogFile, { retentionDays: config.access.logRetentionDays });
  const pruneAccessLog = () => {
    try {
      const pruned = accessLog.prune();
      if (pruned > 0) log.info({ event: 'access-log.pruned', entries: pruned }, `access log: ${pruned} entr${pruned === 1 ? 'y' : 'ies'} past the retention deleted`);
    } catch (error) {
      log.error({ event: 'access-log.prune-failed', message: (error as Error).message }, 'could not prune the access log');
    }
  };
  pruneAccessLog();
  const pruning = setInterval(pruneAccessLog, ACCESS_LOG_PRUNE_MS).unref();
  const rulesOf = (loaded: Config) => ({ publicCollections: loaded.portal.publicCollections, publicTypes: loaded.portal.publicTypes, restrictedCollections: loaded.access.restrictedCollections.map((entry) => entry.collection) });
  const publicSet = new PublicSet(catalog, rulesOf(config));
  const app = await buildWebApp({
    library,
    catalog,
    backend,
    settings,
    accounts,
    policy: { view: (principal) => policy.view(principal) },
    personalDataCollections: () => personalDataCollections,
    audit: (event) => accessLog.record(event),
    rebuildIndex: rebuildHoldingLock,
    syncIndex: syncHoldingLock,
    rewritePdf: (documentId) => pdfRewrites.add(documentId),
    log,
    version: VERSION,
    portal: { publicSet, settings: config.portal, serve: publicOnly ? 'alone' : config.portal.enabled ? 'beside' : 'off' },
  });
  const stopReloading = reloadOnChange(configFileOf(flags), log, () => {
    const next = load();
    if (!publicOnly && next.serve.users.length === 0 && next.serve.tokens.length === 0) {
      throw new AppError('CONFIG_INVALID', 'it lists no serve.users and no serve.tokens, so no one could sign in');
    }
    accounts.replace(next);
    policy = new AccessPolicy(next.access.restrictedCollections, collectionNames);
    personalDataCollections = next.access.personalDataCollections;
    publicSet.setRules(rulesOf(next));
    const { users: _users, tokens: _tokens, ...rest } = next.serve;
    const { users: _before, tokens: _beforeTokens, ...was } = settings;
    const restart = JSON.stringify(rest) !== JSON.stringify(was) || next.library !== config.library;
    log.info(
      { event: 'web.config-reloaded', users: next.serve.users.length, tokens: next.serve.tokens.length, restrictedCollections: next.access.restrictedCollections.length },
      `config re-read: ${next.serve.users.length} user(s), ${next.serve.tokens.length} token(s)${restart ? '; other changed settings take effect at the next restart' : ''}`,
    );
  });
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
  // The portal's public set read whole before the first citizen comes; kept up to date from here on (public-set.ts).
  if (config.portal.publicCollections.length + config.portal.publicTypes.length > 0) publicSet.all();
  try {
    const address = await app.listen({ port: settings.port, host: settings.host });
    log.info({ event: 'web.listening', url: address, port: app.server.address() && typeof app.server.address() === 'object' ? (app.server.address() as { port: number }).port : settings.port }, `serving ${library.root} at ${address}`);
  } catch (error) {
    stopReloading();
    clearInterval(pruning);
    await backend.close();
    accessLog.close();
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
  stopReloading();
  clearInterval(pruning);
  await app.close();
  // A PDF being written is finished (a rewrite cannot be left half-recorded by choice).
  await pdfRewrites.idle();
  await backend.close();
  accessLog.close();
  catalog.close();
  return EXIT.OK;
}

/**
 * Calls `reload` on SIGHUP and when the config file changes (its folder is watched, so an editor
 * that writes a new file and renames it over the old one is seen too). A reload that throws is
 * logged and changes nothing. Returns the function that stops watching.
 */
function reloadOnChange(file: string | null, log: Logger, reload: () => void): () => void {
  let timer: NodeJS.Timeout | null = null;
  const run = (why: string) => {
    timer = null;
    try {
      reload();
    } catch (error) {
      log.error({ event: 'web.config-reload-failed', why, message: (error as Error).message }, `config not re-read (the one before stays): ${(error as Error).message}`);
    }
  };
  const soon = (why: string) => {
    if (timer) clearTimeout(timer);
    timer = setTimeout(() => run(why), RELOAD_DEBOUNCE_MS);
  };
  const onHangUp = () => {
    if (file === null) log.warn({ event: 'web.config-reload-skipped' }, 'SIGHUP: serve runs without a config file, nothing to re-read');
    else soon('SIGHUP');
  };
  process.on('SIGHUP', onHangUp);
  let watcher: FSWatcher | null = null;
  if (file !== null) {
    try {
      watcher = watch(path.dirname(file), { persistent: false }, (_event, name) => {
        if (name === null || name === path.basename(file)) soon('file changed');
      });
      watcher.on('error', (error) => log.warn({ event: 'web.config-watch-failed', message: error.message }, 'stopped watching the config file (SIGHUP still re-reads it)'));
    } catch (error) {
      log.warn({ event: 'web.config-watch-failed', message: (error as Error).message }, 'cannot watch the config file (SIGHUP still re-reads it)');
    }
  }
  return () => {
    process.off('SIGHUP', onHangUp);
    watcher?.close();
    if (timer) clearTimeout(timer);
  };
}
