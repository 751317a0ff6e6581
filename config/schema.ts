/**
 * The configuration: one typed, validated object. Values come from defaults, then a YAML/JSON
 * file, then ACERVO_* environment variables, then command-line flags (later wins).
 */
import os from 'node:os';
import { z } from 'zod';

const languageCode = z.string().regex(/^[a-z]{3}(_[a-z]+)?$/, 'a Tesseract language code such as por, spa or eng');

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
    search: z
      .object({
        backend: z.enum(['embedded']).default('embedded'),
      })
      .strict()
      .prefault({}),
  })
  .strict();

export type Config = z.infer<typeof ConfigSchema>;
/** What a file, the environment or flags may set: any part of the config. */
export type ConfigInput = z.input<typeof ConfigSchema>;
