/** @jsxImportSource preact */
import { Component, type ComponentChildren, createRef } from 'preact';

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

/**
 * The modal shell: a labelled dialog that takes focus, traps Tab and closes on Esc. A class rather
 * than hooks keeps preact/hooks out of the script-tag bundle.
 */
export class Dialog extends Component<DialogProps> {
  #box = createRef<HTMLDivElement>();

  // Listen on the document too, so Esc and Tab work even when the page moved focus elsewhere.
  #onDocumentKey = (event: KeyboardEvent) => {
    if (!event.defaultPrevented && !this.#holdsFocus()) this.onKeyDown(event);
  };

  override componentDidMount(): void {
    this.#box.current?.ownerDocument.addEventListener('keydown', this.#onDocumentKey);
    this.#pullFocusIn();
  }

  // After every view change: if focus fell out (its button was replaced or disabled), bring it back in.
  override componentDidUpdate(): void {
    this.#pullFocusIn();
  }

  override componentWillUnmount(): void {
    this.#box.current?.ownerDocument.removeEventListener('keydown', this.#onDocumentKey);
  }

  #holdsFocus(): boolean {
    const box = this.#box.current;
    const active = box && (box.getRootNode() as ShadowRoot | Document).activeElement;
    return Boolean(box && active && box.contains(active));
  }

  #pullFocusIn(): void {
    const box = this.#box.current;
    if (box && !this.#holdsFocus()) (box.querySelector<HTMLElement>(FOCUSABLE) ?? box).focus();
  }

  private onKeyDown = (event: KeyboardEvent) => {
    const box = this.#box.current;
    if (event.key === 'Escape') {
      event.stopPropagation();
      if (this.props.closable) this.props.onClose();
      return;
    }
    if (event.key !== 'Tab' || !box) return;
    const items = Array.from(box.querySelectorAll<HTMLElement>(FOCUSABLE));
    const first = items[0];
    const last = items[items.length - 1];
    if (!first || !last) {
      event.preventDefault();
      return;
    }
    const active = (box.getRootNode() as ShadowRoot | Document).activeElement;
    const inside = this.#holdsFocus();
    if (event.shiftKey && (active === first || !inside)) {
      event.preventDefault();
      last.focus();
    } else if (!event.shiftKey && (active === last || !inside)) {
      event.preventDefault();
      first.focus();
    }
  };

  override render({ titleId, closeLabel, closable, mobile, onClose, children }: DialogProps) {
    return (
      <div class="backdrop" onClick={(event) => event.target === event.currentTarget && closable && onClose()}>
        <div
          ref={this.#box}
          class={mobile ? 'dialog sheet' : 'dialog'}
          role="dialog"
          aria-modal="true"
          aria-labelledby={titleId}
          tabIndex={-1}
          onKeyDown={this.onKeyDown}
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
}
