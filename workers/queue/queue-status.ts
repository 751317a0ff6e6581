/**
 * What `acervo status` says of the queue: jobs waiting, active, failed, and the workers alive
 * with their pages per minute. Dead workers' entries (killed, machine gone) are dropped here.
 */
import { Queue } from 'bullmq';
import { HEARTBEAT_TTL_MS, redisConnection, workersKey, withDeadline, type QueueSettings, type WorkerHeartbeat } from './convert-queue.js';

export interface QueueStatus {
  name: string;
  reachable: boolean;
  error: string | null;
  jobs: { waiting: number; active: number; delayed: number; failed: number; completed: number };
  workers: WorkerHeartbeat[];
  /** Failed jobs' files and reasons, newest first (at most 20). */
  recentFailures: Array<{ file: string; reason: string; attempts: number }>;
}

const TIMEOUT_MS = 5000;

export async function queueStatus(settings: QueueSettings): Promise<QueueStatus> {
  const empty = { waiting: 0, active: 0, delayed: 0, failed: 0, completed: 0 };
  const queue = new Queue(settings.name, { connection: redisConnection(settings.url!, true) });
  queue.on('error', () => {});
  try {
    const work = (async () => {
      const counts = await queue.getJobCounts('waiting', 'active', 'delayed', 'failed', 'completed', 'paused', 'prioritized');
      const client = await queue.client;
      const entries = await client.hgetall(workersKey(settings.name));
      const now = Date.now();
      const workers: WorkerHeartbeat[] = [];
      for (const [id, json] of Object.entries(entries)) {
        const beat = JSON.parse(json) as WorkerHeartbeat;
        if (now - Date.parse(beat.seenAt) <= HEARTBEAT_TTL_MS) workers.push(beat);
        else await client.hdel(workersKey(settings.name), id);
      }
      const failed = await queue.getFailed(0, 19);
      return {
        jobs: {
          waiting: (counts.waiting ?? 0) + (counts.paused ?? 0) + (counts.prioritized ?? 0),
          active: counts.active ?? 0,
          delayed: counts.delayed ?? 0,
          failed: counts.failed ?? 0,
          completed: counts.completed ?? 0,
        },
        workers: workers.sort((a, b) => a.id.localeCompare(b.id)),
        recentFailures: failed.map((job) => ({ file: (job.data as { job?: { relativePath?: string } }).job?.relativePath ?? String(job.id), reason: job.failedReason ?? '', attempts: job.attemptsStarted })),
      };
    })();
    const result = await withDeadline(work, TIMEOUT_MS);
    return { name: settings.name, reachable: true, error: null, ...result };
  } catch (error) {
    return { name: settings.name, reachable: false, error: (error as Error).message, jobs: empty, workers: [], recentFailures: [] };
  } finally {
    await queue.close().catch(() => {});
  }
}
