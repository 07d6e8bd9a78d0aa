import { type ComponentChild, render } from 'preact';
import css from './styles.css?inline';

/** A modal's place in the page: a host element it owns, with an open shadow root. */
export interface Mounted {
  host: HTMLElement;
  root: ShadowRoot;
  render(vnode: ComponentChild): void;
  remove(): void;
}

let sheet: CSSStyleSheet | null = null;

// Constructed stylesheets work under a strict CSP (no 'unsafe-inline'), unlike <style> elements.
function widgetSheet(): CSSStyleSheet {
  if (!sheet) {
    sheet = new CSSStyleSheet();
    sheet.replaceSync(css);
  }
  return sheet;
}

// Inline !important beats any page rule, so `* { … }` or `div { display: none }` cannot reach the host.
const HOST_STYLE: Record<string, string> = {
  all: 'initial',
  position: 'fixed',
  inset: '0',
  'z-index': '2147483647',
  display: 'block',
  contain: 'layout style',
};

/** Creates the host element at the end of <body> and renders into its shadow root. */
export function mountModal(doc: Document = document): Mounted {
  const host = doc.createElement('spay-modal');
  for (const [name, value] of Object.entries(HOST_STYLE)) host.style.setProperty(name, value, 'important');
  const root = host.attachShadow({ mode: 'open' });
  if ('adoptedStyleSheets' in root) root.adoptedStyleSheets = [widgetSheet()];
  else {
    // Safari before 16.4 has no constructed stylesheets; a <style> works there (but needs 'unsafe-inline' under CSP).
    const style = doc.createElement('style');
    style.textContent = css;
    (root as ShadowRoot).appendChild(style);
  }
  doc.body.appendChild(host);
  return {
    host,
    root,
    render: (vnode) => render(vnode, root),
    remove() {
      render(null, root);
      host.remove();
    },
  };
}
