import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { WidgetConfig } from './config';
import { detectEnvironment } from './core/environment';
import type { SpayError } from './core/errors';
import { validateClickData } from './core/validate';
import { createPayButton } from './create-button';
import { type FakeGateway, installFakeGateway } from './test-support/fake-gateway';
import { WINDOWS_CHROME_UA } from './test-support/orders';

// Hostile input: thousands of random `data` and `event` values thrown at BC.click. It must never
// throw into the page, must report exactly one error for each invalid call, and may send a bill
// request only for valid data. With a single channel enabled, valid data goes straight to the bill.
const CONFIG: WidgetConfig = {
  appId: 'app',
  channels: ['ali'],
  apiBase: 'https://pay.example.com/1/pay/jsbutton',
  assetBase: 'https://pay.example.com/1/pay/jsbutton/assets/',
  sandbox: true,
};

const alnum = fc.stringMatching(/^[A-Za-z0-9]{8,32}$/);
const hex32 = fc.stringMatching(/^[0-9a-f]{32}$/);
const validData = fc.record({
  out_trade_no: fc.oneof(alnum, fc.integer({ min: 10_000_000, max: Number.MAX_SAFE_INTEGER })),
  title: fc.string({ minLength: 1, maxLength: 16 }).filter((title) => title.trim() !== ''),
  amount: fc.oneof(fc.integer({ min: 1, max: 1e9 }), fc.integer({ min: 1, max: 1e9 }).map(String)),
  sign: hex32,
});
// Near-valid orders with one field replaced by anything, plus wholly random values.
const anyData = fc.oneof(
  fc.anything(),
  validData,
  fc.tuple(validData, fc.constantFrom('out_trade_no', 'title', 'amount', 'sign', 'return_url', 'optional', 'instant_channel', 'use_app'), fc.anything()).map(
    ([data, field, value]) => ({ ...data, [field]: value }),
  ),
);
const anyEvent = fc.oneof(fc.anything(), fc.constant(undefined), fc.record({ dataError: fc.constant('call') }));

let gateway: FakeGateway;
beforeEach(() => {
  gateway = installFakeGateway();
});
afterEach(() => {
  vi.unstubAllGlobals();
  document.body.replaceChildren();
});

const flush = () => new Promise((resolve) => setTimeout(resolve, 0));

describe('BC.click under hostile input', () => {
  it('never throws, reports exactly one error per invalid call and requests a bill only for valid data', async () => {
    await fc.assert(
      fc.asyncProperty(anyData, anyEvent, async (data, rawEvent) => {
        const errors: SpayError[] = [];
        const dataErrors: SpayError[] = [];
        const event = rawEvent && typeof rawEvent === 'object' && (rawEvent as { dataError?: unknown }).dataError === 'call'
          ? { dataError: (error: SpayError) => dataErrors.push(error) }
          : rawEvent;
        const button = createPayButton({
          config: CONFIG,
          onError: (error) => errors.push(error),
          environment: detectEnvironment(WINDOWS_CHROME_UA),
          navigate: () => {},
          alert: () => {},
        });
        const before = gateway.bills().length;
        let outcome: Promise<unknown> | undefined;
        expect(() => {
          outcome = button.click(data, event);
        }).not.toThrow();
        await outcome;
        await flush();
        const valid = validateClickData(data).ok;
        const requests = gateway.bills().length - before;
        if (valid) {
          expect(errors).toEqual([]);
          expect(requests).toBe(1);
        } else {
          expect(errors).toHaveLength(1);
          expect(typeof errors[0]?.ERROR).toBe('string');
          expect(requests).toBe(0);
          if (event && typeof (event as { dataError?: unknown }).dataError === 'function') expect(dataErrors).toEqual(errors);
        }
        button.close();
        document.body.replaceChildren();
      }),
      { numRuns: 2000 },
    );
  }, 120_000);
});
