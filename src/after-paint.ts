/**
 * Runs `then` in a task after the next frame has painted: for work the buyer does not wait on, which must not
 * hold back what they do (a timer set now can run before the frame on a slow phone). In a tab that is not
 * shown, frames wait until it is.
 */
export function afterPaint(view: Window | null, then: () => void): void {
  if (typeof view?.requestAnimationFrame === 'function') view.requestAnimationFrame(() => setTimeout(then, 0));
  else setTimeout(then, 0);
}
