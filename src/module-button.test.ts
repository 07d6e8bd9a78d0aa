import { afterEach, describe, expect, it, vi } from 'vitest';
import { click, closePayment, configure } from './module-button';
import { VALID_DATA } from './test-support/orders';

/** A gateway whose config answer is held until `release` is called. */
function heldConfig() {
  let release!: () => void;
  const gate = new Promise<void>((resolve) => (release = resolve));
  const fetch = vi.fn(async (url: string | URL | Request) => {
    const appId = new URL(String(url)).searchParams.get('appId');
    await gate;
    return Response.json({ appId, channels: ['ali', 'un'], sandbox: true });
  });
  vi.stubGlobal('fetch', fetch);
  return { fetch, release };
}

afterEach(() => {
  closePayment();
  vi.unstubAllGlobals();
  document.body.replaceChildren();
});

describe('the ES module entry', () => {
  it('fetches the channels once, even when configure is called again with the same settings', async () => {
    const gateway = heldConfig();
    configure({ appId: 'app', gateway: 'https://pay.example.com' });
    configure({ appId: 'app', gateway: 'https://pay.example.com' });
    gateway.release();
    void click(VALID_DATA);
    await vi.waitFor(() => expect(document.querySelector('spay-modal')).not.toBeNull());
    expect(gateway.fetch).toHaveBeenCalledTimes(1);
    expect(String(gateway.fetch.mock.calls[0]?.[0])).toBe('https://pay.example.com/1/pay/jsbutton/config?appId=app');
  });

  it('opens nothing when closePayment comes while the config is still on its way (unmounted)', async () => {
    const gateway = heldConfig();
    configure({ appId: 'another-app', gateway: 'https://pay.example.com' });
    const outcome = click(VALID_DATA);
    closePayment();
    gateway.release();
    await expect(outcome).resolves.toEqual({ status: 'cancelled' });
    expect(document.querySelector('spay-modal')).toBeNull();
  });
});
