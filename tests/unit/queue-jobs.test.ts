/** The queue's plain parts: path mapping between machines, job ids, Redis URLs. */
import { describe, expect, it } from 'vitest';
import type { ConvertJob } from '../../core/model.js';
import { jobIdFor, redisConnection } from '../../workers/queue/convert-queue.js';
import { mapJobPaths, mapPath } from '../../workers/queue/path-map.js';

const MAPPINGS = [
  { from: '/srv/acervo', to: '/mnt/acervo' },
  { from: '/srv/acervo/entrada', to: '/media/scanner' },
];

describe('path mapping', () => {
  it('maps by the longest matching folder prefix', () => {
    expect(mapPath('/srv/acervo/library/documents/a.pdf', MAPPINGS)).toBe('/mnt/acervo/library/documents/a.pdf');
    expect(mapPath('/srv/acervo/entrada/Obras/1987/x.tif', MAPPINGS)).toBe('/media/scanner/Obras/1987/x.tif');
    expect(mapPath('/srv/acervo', MAPPINGS)).toBe('/mnt/acervo');
  });

  it('never maps a folder that only starts with the same letters, nor other paths', () => {
    expect(mapPath('/srv/acervo2/x.tif', MAPPINGS)).toBe('/srv/acervo2/x.tif');
    expect(mapPath('/home/x.tif', MAPPINGS)).toBe('/home/x.tif');
  });

  it("maps a job's source, output and temporary folder, and nothing else", () => {
    const job = { source: '/srv/acervo/entrada/a.png', relativePath: 'a.png', outputPath: '/srv/acervo/library/documents/a.pdf', tempDir: '/srv/acervo/library/tmp' } as ConvertJob;
    expect(mapJobPaths(job, MAPPINGS)).toEqual({ source: '/media/scanner/a.png', relativePath: 'a.png', outputPath: '/mnt/acervo/library/documents/a.pdf', tempDir: '/mnt/acervo/library/tmp' });
  });
});

describe('job ids', () => {
  const job = { source: '/a.png', relativePath: 'a.png', sha256: 'ab', outputPath: '/l/a.pdf', tempDir: '/l/tmp', mediaType: 'image/png', options: { languages: ['por'] } } as unknown as ConvertJob;

  it('are the same for the same work, and differ when the original, output or settings do', () => {
    expect(jobIdFor({ ...job })).toBe(jobIdFor(job));
    expect(jobIdFor({ ...job, sha256: 'cd' })).not.toBe(jobIdFor(job));
    expect(jobIdFor({ ...job, outputPath: '/l/a (2).pdf' })).not.toBe(jobIdFor(job));
    expect(jobIdFor({ ...job, options: { ...job.options, languages: ['spa'] } })).not.toBe(jobIdFor(job));
    // BullMQ refuses ids with ':' and treats integers specially.
    expect(jobIdFor(job)).toMatch(/^[0-9a-f]{64}$/);
  });
});

describe('Redis URLs', () => {
  it('carry host, port, database and credentials', () => {
    expect(redisConnection('redis://user:s%40cret@10.0.0.5:6380/2')).toMatchObject({ host: '10.0.0.5', port: 6380, db: 2, username: 'user', password: 's@cret', maxRetriesPerRequest: null });
    expect(redisConnection('redis://redis.local')).toMatchObject({ host: 'redis.local', port: 6379 });
    expect(redisConnection('rediss://redis.local')).toHaveProperty('tls');
  });
});
