import type { SpayError } from './core/errors';
import type { ClickEvent } from './types';

/**
 * Hands an error to the click's `event.dataError`, then to `onError` (BC.err), once, in a task after the current
 * one: a page that sets BC.err right after calling BC.click still hears it. A throwing dataError is logged, not
 * thrown into the page, and does not keep the error from onError.
 */
export function deliverError(error: SpayError, event: ClickEvent, onError: (error: SpayError) => void): void {
  setTimeout(() => {
    if (typeof event.dataError === 'function') {
      try {
        event.dataError(error);
      } catch (fault) {
        console.error(fault);
      }
    }
    onError(error);
  }, 0);
}
