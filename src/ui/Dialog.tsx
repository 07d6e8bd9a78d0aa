import type { ComponentChildren } from 'preact';
import { useEffect, useRef } from 'preact/hooks';

const FOCUSABLE = 'button:not([disabled]), [href], input:not([disabled]), [tabindex]:not([tabindex="-1"])';

interface DialogProps {
  titleId: string;
  closeLabel: string;
  /** Esc and the close button do nothing while the page is leaving for the channel. */
  closable: boolean;
  mobile: boolean;
  onClose(): void;
  children: ComponentChildren;
}

/** The modal shell: a labelled dialog that takes focus, traps Tab and closes on Esc. */
export function Dialog({ titleId, closeLabel, closable, mobile, onClose, children }: DialogProps) {
  const box = useRef<HTMLDivElement>(null);

  // After every view change: if focus fell out (its button was replaced or disabled), bring it back in.
  useEffect(() => {
    const current = box.current;
    if (!current) return;
    const root = current.getRootNode() as ShadowRoot | Document;
    if (root.activeElement && current.contains(root.activeElement)) return;
    (current.querySelector<HTMLElement>(FOCUSABLE) ?? current).focus();
  });

  // Listen on the document too, so Esc and Tab work even when the page moved focus elsewhere.
  useEffect(() => {
    const doc = box.current?.ownerDocument;
    const listener = (event: KeyboardEvent) => {
      if (!box.current || event.defaultPrevented) return;
      const root = box.current.getRootNode() as ShadowRoot;
      if (root.activeElement && box.current.contains(root.activeElement)) return;
      onKeyDown(event);
    };
    doc?.addEventListener('keydown', listener);
    return () => doc?.removeEventListener('keydown', listener);
  });

  const onKeyDown = (event: KeyboardEvent) => {
    if (event.key === 'Escape') {
      event.stopPropagation();
      if (closable) onClose();
      return;
    }
    if (event.key !== 'Tab' || !box.current) return;
    const items = Array.from(box.current.querySelectorAll<HTMLElement>(FOCUSABLE));
    if (items.length === 0) {
      event.preventDefault();
      return;
    }
    const root = box.current.getRootNode() as ShadowRoot | Document;
    const active = root.activeElement;
    const first = items[0] as HTMLElement;
    const last = items[items.length - 1] as HTMLElement;
    if (event.shiftKey && (active === first || !box.current.contains(active))) {
      event.preventDefault();
      last.focus();
    } else if (!event.shiftKey && (active === last || !box.current.contains(active))) {
      event.preventDefault();
      first.focus();
    }
  };

  return (
    <div class="backdrop" onClick={(event) => event.target === event.currentTarget && closable && onClose()}>
      <div
        ref={box}
        class={mobile ? 'dialog sheet' : 'dialog'}
        role="dialog"
        aria-modal="true"
        aria-labelledby={titleId}
        tabIndex={-1}
        onKeyDown={onKeyDown}
      >
        <button type="button" class="close" aria-label={closeLabel} disabled={!closable} onClick={onClose}>
          <svg viewBox="0 0 24 24" aria-hidden="true" focusable="false">
            <path d="M6 6l12 12M18 6L6 18" />
          </svg>
        </button>
        {children}
      </div>
    </div>
  );
}
