/**
 * The configuration: one typed, validated object. Values come from defaults, then a YAML/JSON
 * file, then ACERVO_* environment variables, then command-line flags (later wins).
 */
import { isIP } from 'node:net';
import os from 'node:os';
import { z } from 'zod';
import { parsePathTemplate } from '../core/metadata/path-template.js';
import { PDF_FORMATS, SPLIT_MODES } from '../core/model.js';

/** Who may do what on the search page, least to most: each role may do all that the ones before it may. */
export const ROLES = ['clerk', 'archivist', 'admin'] as const;
export type Role = (typeof ROLES)[number];
const role = z.enum(ROLES);

/**
 * A proxy's address as proxy-addr (Fastify's trustProxy) reads it: an IP address, a network
 * (10.0.0.0/8, fd00::/8, 10.0.0.0/255.0.0.0), or one of its names loopback, linklocal, uniquelocal.
 */
function isProxyAddress(value: string): boolean {
  if (value === 'loopback' || value === 'linklocal' || value === 'uniquelocal') return true;
  const [address, prefix, ...rest] = value.split('/');
  if (rest.length > 0 || !address) return false;
  const family = isIP(address);
  if (family === 0) return false;
  if (prefix === undefined) return true;
  if (/^\d{1,3}$/.test(prefix)) return Number(prefix) <= (family === 4 ? 32 : 128);
  return family === 4 && isIP(prefix) === 4;
}

const TRUST_PROXY_TRUE =
  'true would believe X-Forwarded-For from anyone, so any client could claim another address and dodge the sign-in limits: ' +
  "list the reverse proxy's own address instead, e.g. trustProxy: [127.0.0.1] (or false when no proxy stands in front)";

const trustProxy = z
  .union([z.boolean(), z.string(), z.array(z.string())])
  .default(false)
  .transform((value, context): false | string[] => {
    if (value === false) return false;
    if (value === true) {
      context.addIssue({ code: 'custom', message: TRUST_PROXY_TRUE });
      return z.NEVER;
    }
    const list = (typeof value === 'string' ? value.split(',') : value).map((entry) => entry.trim()).filter(Boolean);
    const wrong = list.find((entry) => !isProxyAddress(entry));
    if (list.length === 0 || wrong !== undefined) {
      context.addIssue({ code: 'custom', message: `${wrong === undefined ? 'an empty list' : `"${wrong}"`} is not a proxy address: give false, or a list of IP addresses or networks such as [127.0.0.1] or [10.0.0.0/8]` });
      return z.NEVER;
    }
    return list;
  });

/** The address clerks type in the browser, as scheme://host[:port] (no path). */
const publicOrigin = z
  .string()
  .nullable()
  .default(null)
  .transform((value, context): string | null => {
    if (value === null) return null;
    let url: URL | null = null;
    try {
      url = new URL(value);
    } catch {
      // said below
    }
    if (!url || (url.protocol !== 'http:' && url.protocol !== 'https:') || (url.pathname !== '/' && url.pathname !== '') || url.search || url.hash || url.username) {
      context.addIssue({ code: 'custom', message: 'the address clerks open, scheme and host only, such as https://acervo.prefeitura.gov.br' });
      return z.NEVER;
    }
    return url.origin;
  });

const languageCode = z.string().regex(/^[a-z]{3}(_[a-z]+)?$/, 'a Tesseract language code such as por, spa or eng');

/** How batch scans (a whole box in one file) are cut into documents; per run, or per inbox. */
const splitSchema = z
  .object({
    /** none: a file is one document; barcode: separator sheets from `acervo separator-sheet`; blank: blank pages. */
    mode: z.enum(SPLIT_MODES).default('none'),
    /** In blank mode, blank pages in a row that separate (2: a lone blank page stays in its document). */
    blankPages: z.union([z.literal(1), z.literal(2)]).default(1),
  })
  .strict();

export const ConfigSchema = z
  .object({
    /** The library folder (catalog, index, PDFs). */
    library: z.string().min(1).optional(),
    ocr: z
      .object({
        languages: z.array(languageCode).min(1).default(['por', 'spa', 'eng']),
        /** OCR workers, and documents in progress at once. */
        jobs: z.number().int().min(1).max(256).default(os.availableParallelism()),
        /** A page taking longer fails with OCR_TIMEOUT and its worker is replaced. */
        pageTimeoutSeconds: z.number().positive().max(3600).default(180),
        /** Pages above this many pixels are scaled down for OCR (the PDF keeps the original). */
        maxPixels: z.number().int().positive().default(40_000_000),
        /** OCR pages that already carry text too (their old text layer is replaced). */
        forceOcr: z.boolean().default(false),
        /** Mend readings with the languages' dictionaries: misread accents, letters, the signs of número and ordinals and articles' numbers put back, lines of gibberish left out (core/ocr/accent-restoring-engine.ts). */
        restoreAccents: z.boolean().default(true),
        /** A folder keeping each page image's reading, so the same image is never read twice (core/ocr/readings-cache.ts). */
        readingsCache: z.string().min(1).optional(),
      })
      .strict()
      .prefault({}),
    input: z
      .object({
        /** Resolution assumed for images that declare none (recorded per page in the catalog). */
        assumeDpi: z.number().min(50).max(4800).default(300),
        /** Larger images are refused as decompression bombs. */
        maxImagePixels: z.number().int().positive().default(150_000_000),
        /** Resolution at which PDF pages that are not a single scan are rendered for OCR. */
        pdfRenderDpi: z.number().min(72).max(600).default(300),
        /** PDFs up to this size (MB) are read whole, larger ones by byte ranges (0: always by ranges). */
        pdfWholeLoadMb: z.number().min(0).default(64),
      })
      .strict()
      .prefault({}),
    clean: z
      .object({
        /** Tesseract OSD scores about 10–35 when it is sure of a page's orientation and below 2 when not. */
        orientationMinConfidence: z.number().min(0).default(5),
        /** Leave blank pages (separator sheets, empty backs) out of the PDF; the catalog keeps them, flagged. */
        dropBlank: z.boolean().default(false),
      })
      .strict()
      .prefault({}),
    output: z
      .object({
        /** PDF/A-2b for archives (default), PDF/A-1b where a rule asks for it, or plain PDF. */
        pdfFormat: z.enum(PDF_FORMATS).default('pdfa-2b'),
        /**
         * Grey and colour pages that are not JPEG already are kept lossless, unless a JPEG at this
         * quality takes half the bytes or less (stained paper, photographs); null: always lossless.
         */
        jpegQuality: z.number().int().min(50).max(100).nullable().default(85),
      })
      .strict()
      .prefault({}),
    split: splitSchema.prefault({}),
    lock: z
      .object({
        /** How long a writing run waits for another one on the same library to finish (0: exit at once with code 75). */
        waitSeconds: z.number().min(0).max(86_400).default(0),
      })
      .strict()
      .prefault({}),
    logging: z
      .object({
        /** JSON log lines of every writing run also go to this file (rotated: <name>.<n>.log). */
        file: z.string().min(1).nullable().default(null),
        /** A new file each day, or when one passes this size. */
        rotateSize: z.string().regex(/^\d+[kmg]$/, 'a size such as 10m').default('20m'),
        keepFiles: z.number().int().min(1).max(1000).default(30),
      })
      .strict()
      .prefault({}),
    watch: z
      .object({
        /**
         * Inbox folders watched besides those named on the command line: a path, or
         * { path, split: { mode, blankPages } } for an inbox whose files are batch scans cut their own way.
         */
        inboxes: z.array(z.union([z.string().min(1), z.object({ path: z.string().min(1), split: splitSchema.partial().optional() }).strict()])).default([]),
        /** Poll the folders instead of waiting for file-system events (network shares: SMB, NFS). */
        poll: z.boolean().default(false),
        pollIntervalSeconds: z.number().positive().max(3600).default(5),
        /** A file is taken once its size and time have not changed for this long (and no process writes it). */
        stableSeconds: z.number().min(0).max(3600).default(3),
        /** After success the original is moved to processedDir (default), kept where it is, or deleted. */
        onSuccess: z.enum(['move', 'keep', 'delete']).default('move'),
        /** Relative to each inbox, or absolute. Relative paths below the inbox are kept. */
        processedDir: z.string().min(1).default('processed'),
        /** Originals that could not be converted, each with a <name>.error.json beside it. */
        failedDir: z.string().min(1).default('failed'),
        /** Attempts at a file whose failure may pass (unreadable, truncated, OCR timeout) before it goes to failedDir. */
        maxAttempts: z.number().int().min(1).max(20).default(3),
        /** Wait before the second attempt; each later wait is four times longer. */
        retryDelaySeconds: z.number().min(0).max(86_400).default(30),
        /** The watcher's JSON log lines also go to this file, rotated as `logging` says; null: logging.file. */
        logFile: z.string().min(1).nullable().default(null),
        /** A status line with counts every this many seconds (0: only at start and stop). */
        statusIntervalSeconds: z.number().min(0).default(300),
      })
      .strict()
      .prefault({}),
    serve: z
      .object({
        /** Address to listen on: 127.0.0.1 for this machine only, 0.0.0.0 for the network (behind HTTPS). */
        host: z.string().min(1).default('127.0.0.1'),
        port: z.number().int().min(0).max(65535).default(8080),
        /**
         * Who may sign in: clerks, archivists and admins. Password hashes come from
         * `acervo hash-password`. Re-read while serve runs (SIGHUP, or when the file changes).
         */
        users: z
          .array(
            z
              .object({
                name: z.string().min(1).max(100),
                role,
                /** May see people's CPF/CUIL numbers unmasked (LGPD). Default: admins yes, the others no. */
                personalData: z.boolean().optional(),
                passwordHash: z.string().regex(/^scrypt\$\d+\$\d+\$\d+\$[\w-]+\$[\w-]+$/, 'a hash from `acervo hash-password`'),
              })
              .strict(),
          )
          .default([]),
        /** API tokens for scripts (Authorization: Bearer …), as hashes from `acervo make-token`. */
        tokens: z
          .array(z.object({ name: z.string().min(1).max(100), role, personalData: z.boolean().optional(), tokenHash: z.string().regex(/^sha256\$[\w-]{43}$/, 'a hash from `acervo make-token`') }).strict())
          .default([]),
        /** No longer used: sessions are kept by the server now, not signed cookies. Accepted so older configs still load. */
        sessionSecretEnv: z.string().min(1).default('ACERVO_SESSION_SECRET'),
        /** A session ends this long after sign-in, however busy (absolute timeout). */
        sessionHours: z.number().positive().max(24 * 30).default(10),
        /** A session ends after this long without a request (idle timeout; fractions allowed). */
        sessionIdleMinutes: z.number().positive().max(24 * 60).default(30),
        /** Send cookies only over HTTPS (set when a proxy serves the page over HTTPS). */
        secureCookies: z.boolean().default(false),
        /**
         * The address clerks open (e.g. https://acervo.prefeitura.gov.br behind a proxy): requests that
         * change something must come from a page there. null: the address the request was sent to.
         */
        publicOrigin,
        /**
         * The reverse proxies whose X-Forwarded-For is believed (client addresses for the limits and
         * the access log): false, or their addresses, e.g. [127.0.0.1] or [10.0.0.0/8]. Never true.
         */
        trustProxy,
        /** Requests per minute per client address, and sign-in attempts per minute per address. */
        requestsPerMinute: z.number().int().min(1).default(600),
        signInsPerMinute: z.number().int().min(1).default(10),
        /**
         * Failed sign-ins: an address that fails this often in the window is refused for a while; an
         * account that fails this often is locked for lockMinutes, doubling on each new lock up to
         * maxLockMinutes (fractions allowed). See web/sign-in-limits.ts.
         */
        signInLimits: z
          .object({
            failuresPerAccount: z.number().int().min(1).max(1000).default(5),
            failuresPerAddress: z.number().int().min(1).max(100_000).default(10),
            windowMinutes: z.number().positive().max(24 * 60).default(15),
            lockMinutes: z.number().positive().max(24 * 60).default(1),
            maxLockMinutes: z.number().positive().max(24 * 60).default(15),
          })
          .strict()
          .prefault({})
          .refine((limits) => limits.maxLockMinutes >= limits.lockMinutes, { message: 'maxLockMinutes must be at least lockMinutes' }),
      })
      .strict()
      .prefault({})
      .refine((serve) => new Set(serve.users.map((u) => u.name)).size === serve.users.length, { message: 'two serve.users have the same name' }),
    /**
     * The public Transparência portal (issue 26, docs/public-portal.md): no sign-in, only documents of
     * the collections or types named here (never a restricted collection, never one staff withheld),
     * always as redacted copies. Served at /transparencia beside the staff page when enabled, or
     * alone by `acervo serve --public`.
     */
    portal: z
      .object({
        /** Serve the portal at /transparencia beside the staff page (`serve --public` serves it alone either way). */
        enabled: z.boolean().default(false),
        /** Collections whose documents are public, as stored (case and accents aside), e.g. [Leis, Decretos]. */
        publicCollections: z.array(z.string().min(1).max(200)).max(500).default([]),
        /** Document types public wherever they are filed, e.g. [lei, decreto, portaria, edital, contrato, ata]. */
        publicTypes: z.array(z.string().min(1).max(40)).max(100).default([]),
        /** Who publishes, for the citation line, e.g. "Prefeitura Municipal de Exemplo". */
        publisher: z.string().min(1).max(200).default('Arquivo Municipal'),
        /** Requests per minute per client address on the portal (behind a proxy: set serve.trustProxy). */
        requestsPerMinute: z.number().int().min(1).max(100_000).default(120),
        /** How long browsers and proxies may keep a page (seconds). */
        cacheSeconds: z.number().int().min(0).max(86_400).default(60),
      })
      .strict()
      .prefault({}),
    /** Who reads what, and the record of it (LGPD): used by `acervo serve` and the CLI. */
    access: z
      .object({
        /** Days the access log keeps its records; older ones are deleted. */
        logRetentionDays: z.number().int().min(1).max(36_500).default(1825),
        /** Collections only some roles or users may search and read. */
        restrictedCollections: z
          .array(
            z
              .object({
                collection: z.string().min(1),
                roles: z.array(role).optional(),
                users: z.array(z.string().min(1)).optional(),
              })
              .strict(),
          )
          .default([]),
        /**
         * Collections where people's numbers are expected (personnel files, health records, e.g.
         * [Pessoal, Saúde]): a document holding one in any other collection goes to the review queue
         * (personal-data-unexpected). Names match without case or accents.
         */
        personalDataCollections: z.array(z.string().min(1)).default([]),
      })
      .strict()
      .prefault({}),
    metadata: z
      .object({
        /** How the archive's folders are named, e.g. "{collection}/{year}/Caixa {box}" (fields: collection, year, box, series). */
        pathTemplate: z
          .string()
          .min(1)
          .nullable()
          .default(null)
          .superRefine((value, context) => {
            if (value === null) return;
            try {
              parsePathTemplate(value);
            } catch (error) {
              context.addIssue({ code: 'custom', message: (error as Error).message });
            }
          }),
        /** Document types and the words that open their titles; these add to (or replace, type by type) the built-in ones. */
        documentTypes: z.record(z.string().regex(/^[a-z0-9_-]{2,40}$/, 'a type key: lower-case letters, digits, - and _'), z.array(z.string().min(2).max(80)).min(1)).default({}),
        /** Box inventories (CSV: path, title, collection, year, box, series, type, date, notes): merged on ingest, their values win. */
        inventories: z.array(z.string().min(1)).default([]),
      })
      .strict()
      .prefault({}),
    queue: z
      .object({
        /**
         * A Redis server (redis://host:port/db) through which `acervo worker` processes on other
         * machines do the OCR; null: this process does it (the default).
         */
        url: z.string().regex(/^rediss?:\/\/[^\s]+$/, 'a Redis URL such as redis://10.0.0.5:6379').nullable().default(null),
        /** The queue's name on that server: libraries sharing a server need names of their own. */
        name: z.string().regex(/^[A-Za-z0-9_-]{1,100}$/, 'letters, digits, - and _').default('acervo'),
        /** A job whose worker stops answering (killed, machine gone) goes back to the queue after this long. */
        visibilityTimeoutSeconds: z.number().min(1).max(3600).default(60),
        /** Attempts at a document before it is failed with its error kept (a worker lost counts as one). */
        maxAttempts: z.number().int().min(1).max(20).default(3),
        /** Documents queued at once by a coordinator: enough to keep every worker busy. */
        inFlight: z.number().int().min(1).max(10_000).default(64),
        /**
         * Where the coordinator's paths lie on this machine, when the shared storage is mounted
         * elsewhere: e.g. [{ from: '/srv/acervo', to: '/mnt/acervo' }] on a worker.
         */
        paths: z.array(z.object({ from: z.string().min(1), to: z.string().min(1) }).strict()).default([]),
      })
      .strict()
      .prefault({}),
    search: z
      .object({
        /** embedded: the index file in the library, no server. meilisearch: a Meilisearch server. */
        backend: z.enum(['embedded', 'meilisearch']).default('embedded'),
        /** Threads `acervo serve` searches the embedded index on (0: one per core, at most 4). */
        threads: z.number().int().min(0).max(64).default(0),
        /** How long one search from the web page may take (ms): past it, it answers with the pages ranked so far and estimated counts. */
        timeBudgetMs: z.number().int().min(50).max(60_000).default(1000),
        meilisearch: z
          .object({
            /** e.g. http://127.0.0.1:7700 */
            host: z.url().nullable().default(null),
            /** The index's uid. */
            index: z.string().regex(/^[A-Za-z0-9_-]{1,400}$/, 'letters, digits, - and _').default('acervo'),
            /** The environment variable holding a key that may write (admin key). */
            apiKeyEnv: z.string().min(1).default('MEILISEARCH_API_KEY'),
            /** The environment variable holding a search-only key; unset: the server's default search key is used. */
            searchKeyEnv: z.string().min(1).default('MEILISEARCH_SEARCH_KEY'),
            /** Pages per write request. */
            batchSize: z.number().int().min(1).max(10_000).default(1000),
            taskTimeoutSeconds: z.number().positive().max(86_400).default(300),
            requestTimeoutSeconds: z.number().positive().max(3600).default(30),
          })
          .strict()
          .prefault({}),
      })
      .strict()
      .prefault({})
      .refine((search) => search.backend !== 'meilisearch' || search.meilisearch.host !== null, {
        message: 'search.meilisearch.host is needed when search.backend is meilisearch (e.g. http://127.0.0.1:7700)',
      }),
  })
  .strict();

export type Config = z.infer<typeof ConfigSchema>;
/** What a file, the environment or flags may set: any part of the config. */
export type ConfigInput = z.input<typeof ConfigSchema>;
