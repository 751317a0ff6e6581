/**
 * The page scheduler: which of a document's pages are in hand. Pages are read several at once
 * (one per OCR worker, and the next decoded and cleaned meanwhile) and handed on in their order.
 * Each page holds one of the process's page slots (page-slots.ts) from its decoding until the
 * driver is done with it, so memory stays flat however long the documents and however many are
 * converted at once.
 */
import type { PageSlots } from './page-slots.js';

export interface PageInHand<P, R> {
  page: P;
  reading: R;
}

/**
 * The pages `decodeNext` gives, each with what `read` made of it, in order. A page's slot is
 * given back when the driver asks for the next page; all of them when it stops early or a
 * reading fails (a reading still under way then runs to its end unheeded).
 */
export async function* readInOrder<P, R>(
  slots: PageSlots,
  decodeNext: () => Promise<IteratorResult<P, unknown>>,
  read: (page: P) => Promise<R>,
): AsyncGenerator<PageInHand<P, R>, void, undefined> {
  const inFlight: Array<{ page: P; reading: Promise<R> }> = [];
  /** Slots this document holds: given back whatever happens. */
  let held = 0;
  async function* handOnOldest(): AsyncGenerator<PageInHand<P, R>, void, undefined> {
    const oldest = inFlight.shift()!;
    try {
      yield { page: oldest.page, reading: await oldest.reading };
    } finally {
      slots.release();
      held--;
    }
  }
  try {
    for (;;) {
      // Wait for a slot only when holding none: a document waiting while holding slots could
      // starve every other of them. Until then, hand on what is in hand to free one.
      let slot = slots.tryAcquire();
      while (!slot && inFlight.length > 0) {
        yield* handOnOldest();
        slot = slots.tryAcquire();
      }
      if (!slot) await slots.acquire();
      held++;
      const next = await decodeNext();
      if (next.done) break;
      const reading = read(next.value);
      reading.catch(() => {}); // awaited in order by handOnOldest; this only keeps it from counting as unhandled meanwhile
      inFlight.push({ page: next.value, reading });
    }
    slots.release(); // the slot taken for the page after the last
    held--;
    while (inFlight.length > 0) yield* handOnOldest();
  } finally {
    for (; held > 0; held--) slots.release();
  }
}
