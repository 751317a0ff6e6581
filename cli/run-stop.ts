/**
 * How a batch run is stopped: a first Ctrl-C/SIGTERM, or its time window closing, aborts
 * `controller` (no new work is taken, the work in hand is finished); a second signal calls
 * `on.again`, which quits at once (the run's `quitAtOnce`).
 */
import { startWindow } from './time-window.js';

/** `on.signal` / `on.window` say why, before the abort. Returns what removes the handlers and the timer. */
export function stopOnSignalOrWindow(controller: AbortController, deadline: Date | null, on: { signal(): void; window(): void; again(): void }): () => void {
  const onSignal = () => {
    // Already stopping (a first signal, the window, the lock lost): quit at once.
    if (controller.signal.aborted) return on.again();
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
