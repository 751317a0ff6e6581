/**
 * The configuration: one typed, validated object. Values come from defaults, then a YAML/JSON
 * file, then ACERVO_* environment variables, then command-line flags (later wins).
 */
import os from 'node:os';
import { z } from 'zod';
import { parsePathTemplate } from '../core/metadata/path-template.js';
import { PDF_FORMATS, SPLIT_MODES } from '../core/model.js';

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
        /** Structured log lines (JSON) also go to this file. */
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
        /** Clerks and admins who may sign in. Password hashes come from `acervo hash-password`. */
        users: z
          .array(
            z
              .object({
                name: z.string().min(1).max(100),
                role: z.enum(['clerk', 'admin']),
                /** May see people's CPF/CUIL numbers unmasked (LGPD). Default: admins yes, clerks no. */
                personalData: z.boolean().optional(),
                passwordHash: z.string().regex(/^scrypt\$\d+\$\d+\$\d+\$[\w-]+\$[\w-]+$/, 'a hash from `acervo hash-password`'),
              })
              .strict(),
          )
          .default([]),
        /** API tokens for scripts (Authorization: Bearer …), as hashes from `acervo make-token`. */
        tokens: z
          .array(z.object({ name: z.string().min(1).max(100), role: z.enum(['clerk', 'admin']), personalData: z.boolean().optional(), tokenHash: z.string().regex(/^sha256\$[\w-]{43}$/, 'a hash from `acervo make-token`') }).strict())
          .default([]),
        /** The environment variable holding the secret that signs sessions; unset: a new one each start. */
        sessionSecretEnv: z.string().min(1).default('ACERVO_SESSION_SECRET'),
        sessionHours: z.number().positive().max(24 * 30).default(10),
        /** Send cookies only over HTTPS (set when a proxy serves the page over HTTPS). */
        secureCookies: z.boolean().default(false),
        /** Trust X-Forwarded-For from a reverse proxy (for rate limits by client address). */
        trustProxy: z.boolean().default(false),
        /** Requests per minute per client address, and sign-in attempts per minute. */
        requestsPerMinute: z.number().int().min(1).default(600),
        signInsPerMinute: z.number().int().min(1).default(10),
      })
      .strict()
      .prefault({})
      .refine((serve) => new Set(serve.users.map((u) => u.name)).size === serve.users.length, { message: 'two serve.users have the same name' }),
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
