/** @jsxImportSource preact */
import type { SpayError } from '../core/errors';
import type { Strings } from './strings';

/** A progress line announced to screen readers. */
export function Progress({ label }: { label: string }) {
  return (
    <div class="status" role="status">
      <span class="spinner" aria-hidden="true" />
      <p>{label}</p>
    </div>
  );
}

/** The completion view. */
export function Success({ text, returning, onDone }: { text: Strings; returning: boolean; onDone(): void }) {
  return (
    <div class="status success" role="status">
      <svg class="tick" viewBox="0 0 24 24" aria-hidden="true" focusable="false">
        <path d="M5 12.5l4.5 4.5L19 7.5" />
      </svg>
      {returning ? <p>{text.paidNext}</p> : <button type="button" class="primary" onClick={onDone}>{text.done}</button>}
    </div>
  );
}

/** The error view; the message is rendered as text, whatever it contains. */
export function Failure({ text, error, canRetry, onRetry }: { text: Strings; error: SpayError; canRetry: boolean; onRetry(): void }) {
  return (
    <div class="status failure">
      <p class="headline">{text.failed}</p>
      <p class="message" role="alert">
        {error.ERROR}
      </p>
      {canRetry && (
        <button type="button" class="primary" onClick={onRetry}>
          {text.retry}
        </button>
      )}
    </div>
  );
}
