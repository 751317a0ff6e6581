/**
 * `acervo separator-sheet`: prints (as a PDF) the sheet put before each document of a batch scan,
 * optionally saying what the next document is: `--field collection=Obras --field box=12`.
 */
import { existsSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { Command, Option } from 'commander';
import { AppError } from '../../core/errors.js';
import { parseSeparatorCode, METADATA_PREFIX } from '../../core/separation/separator-code.js';
import { separatorSheetPdf } from '../../core/separation/separator-sheet.js';
import { printJson, printLine } from '../output.js';
import { parsePositiveInt } from '../options.js';
import { jsonOption } from '../options.js';

interface SheetFlags {
  output: string;
  field?: string[];
  copies?: number;
  force?: boolean;
  json?: boolean;
}

export function separatorSheetCommand(): Command {
  return new Command('separator-sheet')
    .description('write a printable separator sheet (PDF) to put before each document of a batch scan (acervo ingest --split barcode)')
    .option('-o, --output <file>', 'the PDF to write', 'separador.pdf')
    .option('--field <key=value...>', 'what the next document is: title, collection, series, box, year, type, date (YYYY-MM-DD), notes')
    .addOption(new Option('--copies <n>', 'pages in the PDF (one sheet per document of the box)').argParser(parsePositiveInt).default(1))
    .option('--force', 'replace the output file if it exists')
    .addOption(jsonOption('print what was written as JSON'))
    .action(async (flags: SheetFlags) => {
      const fields = flags.field ?? [];
      const parsed = fields.length > 0 ? parseSeparatorCode(`${METADATA_PREFIX}${fields.join(';')}`) : null;
      if (parsed && parsed.warnings.length > 0) throw new AppError('USAGE', `--field: ${parsed.warnings.join('; ')}.`);
      const output = path.resolve(flags.output);
      if (existsSync(output) && !flags.force) throw new AppError('USAGE', `${output} exists; choose another --output or add --force.`);
      const { pdf, code } = await separatorSheetPdf(parsed?.metadata ?? null, flags.copies ?? 1);
      await writeFile(output, pdf);
      if (flags.json) printJson({ output, code, copies: flags.copies ?? 1, metadata: parsed?.metadata ?? null });
      else printLine(`${output}: ${flags.copies ?? 1} separator sheet(s), code ${code}`);
    });
}
