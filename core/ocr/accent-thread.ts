/**
 * The dictionaries' thread: Hunspell loads its dictionaries (about 0.7 s) and checks words
 * synchronously, which on the main thread would stall a queue worker's lock renewals and
 * heartbeats (a worker on a 3 s visibility timeout was taken for lost). Here they block nobody.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { letterRepair, type LetterRepair } from './repair-letters.js';
import { accentRepair, repairWords, type AccentRepair } from './restore-accents.js';
import { knowsWord, lexiconFor, type Lexicon } from './spelling-lexicon.js';

export interface AccentThreadData {
  languages: string[];
}
export interface AccentRequest {
  id: number;
  words: string[];
}
/** The words repaired, and whether a dictionary knows each as repaired. */
export interface RepairedWords {
  words: string[];
  /** Known in any of the languages (noise-lines.ts judges lines by it). */
  known: boolean[];
  /** Known in the page's own language (merge-readings.ts mends a page by it). */
  knownInPageLanguage: boolean[];
}
/** `reading` null: no dictionary for one of the languages, nothing repaired. */
export interface AccentReply {
  id: number;
  reading: RepairedWords | null;
}

const { languages } = workerData as AccentThreadData;
// Loaded as soon as the thread starts, while the first page is being read; a failure to load
// answers every request with null (nothing repaired).
const repair: Promise<{ lexicon: Lexicon; accents: AccentRepair; letters: LetterRepair } | null> = lexiconFor(languages).then(
  (lexicon) => lexicon && { lexicon, accents: accentRepair(lexicon), letters: letterRepair(lexicon) },
);
repair.catch(() => {});

parentPort!.on('message', (request: AccentRequest) => {
  void repair.then(
    (repairs) => parentPort!.postMessage({ id: request.id, reading: repairs && judged(repairWords(request.words, repairs.accents, repairs.letters), repairs) } satisfies AccentReply),
    () => parentPort!.postMessage({ id: request.id, reading: null } satisfies AccentReply),
  );
});

function judged(words: string[], { lexicon, accents }: { lexicon: Lexicon; accents: AccentRepair }): RepairedWords {
  const language = [accents.languageOf(words)];
  const knownInPageLanguage = words.map((word) => knowsWord(lexicon, word, language));
  // A word the page's language knows is known; only the others are looked up in every language.
  return { words, known: words.map((word, i) => knownInPageLanguage[i]! || knowsWord(lexicon, word)), knownInPageLanguage };
}
