/**
 * How a batch run is stopped: a first Ctrl-C/SIGTERM, or its time window closing, aborts
 * `controller` (no new work is taken, the work in hand is finished); a second signal quits at once.
 */
import { EXIT } from './exit-codes.js';
import { startWindow } from './time-window.js';

/** `on.signal` / `on.window` say why, before the abort. Returns what removes the handlers and the timer. */
export function stopOnSignalOrWindow(controller: AbortController, deadline: Date | null, on: { signal(): void; window(): void }): () => void {
  const onSignal = () => {
    if (controller.signal.aborted) process.exit(EXIT.INTERRUPTED);
    on.signal();
    controller.abort();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  const closeWindow = startWindow(deadline, () => {
    if (controller.signal.aborted) return;
    on.window();
    controller.abort();
  });
  return () => {
    closeWindow();
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  };
}
