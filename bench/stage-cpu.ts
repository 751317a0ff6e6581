/**
 * CPU seconds per page in each stage: the documents converted one page at a time with one OCR
 * worker, so the process's CPU time over a stage (every thread: libvips's, the OCR workers') is
 * that stage's own. The parallel run's stage times overlap and cannot say this.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadConfig } from '../config/load.js';
import { STAGES, type StageTimings } from '../core/model.js';
import { convertDocument } from '../core/pipeline/convert-document.js';
import type { InputFile } from '../core/pipeline/find-inputs.js';
import { inspectInput } from '../core/pipeline/intake.js';
import { PageSlots } from '../core/pipeline/page-slots.js';
import { cpuMs } from '../core/pipeline/stage-clock.js';
import { convertOptions, PRODUCER, startOcr } from '../cli/runtime.js';

export interface StageCpu {
  pages: number;
  /** CPU ms per stage, summed over pages. */
  cpu: StageTimings;
  /** The process's CPU ms over the whole pass, to check the stages add up. */
  totalCpuMs: number;
  wallMs: number;
  /** Pages whose orientation had to be detected (the rest read clearly upright as scanned). */
  orientationChecks: number;
  /** Each file's output: what it was, and the searchable PDF's bytes. */
  outputs: Array<{ file: string; source: string; mediaType: string; pages: number; bytes: number; conformance: string | null }>;
}

export async function measureStageCpu(files: readonly InputFile[]): Promise<StageCpu> {
  const work = mkdtempSync(path.join(os.tmpdir(), 'acervo-stage-cpu-'));
  const config = loadConfig({ env: {}, cwd: work, flags: { library: path.join(work, 'library'), ocr: { jobs: 1 } } });
  const ocr = await startOcr(config);
  const context = { ocr, producer: PRODUCER, pageSlots: new PageSlots(1) };
  const cpu: StageTimings = {};
  let pages = 0;
  let orientationChecks = 0;
  const outputs: StageCpu['outputs'] = [];
  const started = performance.now();
  const startedCpu = process.cpuUsage();
  try {
    for (const [i, file] of files.entries()) {
      const intakeCpu = process.cpuUsage();
      const input = await inspectInput(file.source);
      add(cpu, { intake: cpuMs(intakeCpu) });
      const result = await convertDocument(context, {
        source: file.source,
        relativePath: file.relativePath,
        mediaType: input.mediaType,
        sha256: input.sha256,
        outputPath: path.join(work, 'out', `${i}.pdf`),
        tempDir: path.join(work, 'tmp'),
        options: convertOptions(config),
      });
      add(cpu, result.cpuTimings);
      const [output] = result.documents;
      pages += output!.pages.length;
      orientationChecks += result.orientationChecks;
      outputs.push({ file: file.relativePath, source: file.source, mediaType: input.mediaType, pages: output!.pages.length, bytes: output!.outputBytes, conformance: output!.pdfConformance });
    }
    return { pages, cpu, totalCpuMs: cpuMs(startedCpu), wallMs: performance.now() - started, orientationChecks, outputs };
  } finally {
    await ocr.close();
    rmSync(work, { recursive: true, force: true });
  }
}

function add(total: StageTimings, more: StageTimings): void {
  for (const stage of STAGES) if (more[stage] !== undefined) total[stage] = (total[stage] ?? 0) + more[stage]!;
}
