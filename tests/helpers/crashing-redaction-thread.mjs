// A redaction thread that dies on its first copy (tests/unit/redaction-threads.test.ts): an error
// thrown outside any handler, as a fault in a native decoder would end the thread.
import { parentPort } from 'node:worker_threads';

parentPort.on('message', () => {
  throw new Error('the decoder fell over');
});
