import { spayError } from './core/errors';
import type { ButtonOptions, PayButton } from './create-button';
import { deliverError } from './deliver-error';
import type { ClickEvent, ClickOutcome } from './types';

/** What the UI module (src/script-ui.ts) exports to the loader. */
export interface UiModule {
  createPayButton(options: ButtonOptions): PayButton;
}

/** BC.click's side of the loader: a click that works before the UI module has arrived. */
export interface QueuedButton {
  click(data: unknown, event?: unknown): Promise<ClickOutcome>;
}

/**
 * Starts loading the UI module in the next task (calling import() costs the main thread a few ms the first time, which
 * the page's parser, waiting on this script in <head>, need not wait for) and returns a button whose clicks work
 * from the start; a click made sooner starts it itself. Once the module is
 * there a click goes straight to it, in the same task. A click made before waits, and the clicks that waited are
 * handed over in their order the moment it arrives, so ten of them still open one dialog and an invalid one still
 * sends nothing. When the module cannot be loaded, each waiting click ends in a NETWORK error (to its dataError and
 * to onError, after the current task), and the next click tries to load it again.
 */
export function createQueuedButton(load: () => Promise<UiModule>, options: ButtonOptions): QueuedButton {
  let button: PayButton | null = null;
  let loading: Promise<PayButton | null> | null = null;

  const loadButton = (): Promise<PayButton | null> =>
    (loading ??= load()
      .then((ui) => ui.createPayButton(options))
      .then(
        (made) => (button = made),
        () => (loading = null),
      ));

  function unreachable(rawEvent: unknown): ClickOutcome {
    const event: ClickEvent = typeof rawEvent === 'object' && rawEvent !== null ? (rawEvent as ClickEvent) : {};
    const error = spayError('NETWORK', 'the payment button could not be loaded from the payment gateway');
    deliverError(error, event, options.onError);
    return { status: 'failed', error };
  }

  setTimeout(() => void loadButton(), 0);
  return {
    click(data, event) {
      if (button) return button.click(data, event);
      return loadButton().then((ready) => (ready ? ready.click(data, event) : unreachable(event)));
    },
  };
}
