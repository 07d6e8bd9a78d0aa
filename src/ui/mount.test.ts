import { h } from 'preact';
import { afterEach, describe, expect, it } from 'vitest';
import { mountModal } from './mount';

afterEach(() => {
  document.body.replaceChildren();
});

describe('mountModal', () => {
  it('adds one spay-modal host at the end of the body, with an open shadow root', () => {
    document.body.appendChild(document.createElement('main'));
    const mounted = mountModal(document);
    expect(document.body.lastElementChild).toBe(mounted.host);
    expect(mounted.host.tagName.toLowerCase()).toBe('spay-modal');
    expect(mounted.host.shadowRoot).toBe(mounted.root);
    expect(mounted.root.mode).toBe('open');
  });

  it('pins the host over the page with !important styles that page CSS cannot override', () => {
    const { host } = mountModal(document);
    for (const name of ['position', 'z-index', 'display']) expect(host.style.getPropertyPriority(name)).toBe('important');
    expect(host.style.getPropertyValue('position')).toBe('fixed');
    expect(host.style.getPropertyValue('z-index')).toBe('2147483647');
  });

  it('renders into the shadow root, not the page', () => {
    const mounted = mountModal(document);
    mounted.render(h('p', null, '你好'));
    expect(mounted.root.textContent).toBe('你好');
    expect(document.body.querySelector('p')).toBeNull();
  });

  it('removes the host and what it rendered', () => {
    const mounted = mountModal(document);
    mounted.render(h('p', null, '你好'));
    mounted.remove();
    expect(document.querySelector('spay-modal')).toBeNull();
    expect(mounted.root.querySelector('p')).toBeNull();
  });

  it('adds no style element where constructed stylesheets exist (strict CSP)', () => {
    // jsdom has no adoptedStyleSheets; give shadow roots the property as current browsers do.
    Object.defineProperty(ShadowRoot.prototype, 'adoptedStyleSheets', { value: [], writable: true, configurable: true });
    try {
      const mounted = mountModal(document);
      mounted.render(h('p', null, 'x'));
      expect(document.querySelectorAll('style')).toHaveLength(0);
      expect(mounted.root.querySelectorAll('style')).toHaveLength(0);
      expect(mounted.root.adoptedStyleSheets).toHaveLength(1);
    } finally {
      delete (ShadowRoot.prototype as { adoptedStyleSheets?: unknown }).adoptedStyleSheets;
    }
  });

  it('falls back to a style element inside the shadow root where constructed stylesheets are missing', () => {
    const mounted = mountModal(document);
    expect(document.head.querySelectorAll('style')).toHaveLength(0);
    expect(mounted.root.querySelectorAll('style')).toHaveLength(1);
  });
});
