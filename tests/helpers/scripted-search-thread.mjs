// A search thread whose answers a test decides (search-threads.ts runs it in place of the real
// one): "stuck" never answers (a search the hard limit must stop), "slow" answers after 300 ms,
// "refused" fails as QUERY_INVALID, anything else answers at once with a total drawn at random
// (so a test can tell an answer from the cache from a fresh one, whichever thread gives it).
import { parentPort, threadId } from 'node:worker_threads';

let answered = 0;
parentPort.postMessage({ warmed: 0 });
parentPort.on('message', ({ id, query }) => {
  if (query.text === 'stuck') for (;;);
  if (query.text === 'refused') {
    parentPort.postMessage({ id, error: { code: 'QUERY_INVALID', message: 'nothing to search for', details: { reason: 'no-words' } } });
    return;
  }
  const reply = () => {
    answered += 1;
    parentPort.postMessage({ id, result: { query: query.text, total: Math.floor(Math.random() * 1e9), hits: [], thread: threadId, answered, budgetMs: query.budgetMs } });
  };
  if (query.text === 'slow') setTimeout(reply, 300);
  else reply();
});
