/**
 * The dictionaries' thread: Hunspell loads its dictionaries (about 0.7 s) and checks words
 * synchronously, which on the main thread would stall a queue worker's lock renewals and
 * heartbeats (a worker on a 3 s visibility timeout was taken for lost). Here they block nobody.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { letterRepair, type LetterRepair } from './repair-letters.js';
import { accentRepair, repairWords, type AccentRepair } from './restore-accents.js';
import { lexiconFor } from './spelling-lexicon.js';

export interface AccentThreadData {
  languages: string[];
}
export interface AccentRequest {
  id: number;
  words: string[];
}
/** `words` null: no dictionary for one of the languages, nothing repaired. */
export interface AccentReply {
  id: number;
  words: string[] | null;
}

const { languages } = workerData as AccentThreadData;
// Loaded as soon as the thread starts, while the first page is being read; a failure to load
// answers every request with null (nothing repaired).
const repair: Promise<{ accents: AccentRepair; letters: LetterRepair } | null> = lexiconFor(languages).then(
  (lexicon) => lexicon && { accents: accentRepair(lexicon), letters: letterRepair(lexicon) },
);
repair.catch(() => {});

parentPort!.on('message', (request: AccentRequest) => {
  void repair.then(
    (repairs) => parentPort!.postMessage({ id: request.id, words: repairs && repairWords(request.words, repairs.accents, repairs.letters) } satisfies AccentReply),
    () => parentPort!.postMessage({ id: request.id, words: null } satisfies AccentReply),
  );
});
