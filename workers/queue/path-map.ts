/**
 * The coordinator's paths as this machine sees them: shared storage is often mounted at another
 * place on each machine (`/srv/acervo` there, `/mnt/acervo` here). The longest matching prefix wins.
 */
import path from 'node:path';
import type { ConvertJob } from '../../core/model.js';

export interface PathMapping {
  from: string;
  to: string;
}

export function mapPath(value: string, mappings: readonly PathMapping[]): string {
  const match = [...mappings]
    .sort((a, b) => b.from.length - a.from.length)
    .find(({ from }) => value === from || value.startsWith(from.endsWith(path.sep) ? from : from + path.sep));
  return match ? path.join(match.to, value.slice(match.from.length)) : value;
}

export function mapJobPaths(job: ConvertJob, mappings: readonly PathMapping[]): ConvertJob {
  if (mappings.length === 0) return job;
  return { ...job, source: mapPath(job.source, mappings), outputPath: mapPath(job.outputPath, mappings), tempDir: mapPath(job.tempDir, mappings) };
}
