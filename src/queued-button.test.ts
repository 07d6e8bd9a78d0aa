import { afterEach, describe, expect, it, vi } from 'vitest';
import { configForGateway } from './config';
import { detectEnvironment } from './core/environment';
import type { SpayError } from './core/errors';
import { type ButtonOptions, createPayButton, type PayButton } from './create-button';
import { createQueuedButton, type UiModule } from './queued-button';
import { dataWith, VALID_DATA, WINDOWS_CHROME_UA } from './test-support/orders';

/** A UI module that arrives, or fails to, when the test says; `loads` counts the fetches. */
function heldUi() {
  const made: PayButton[] = [];
  const ui: UiModule = {
    createPayButton(options) {
      const button = createPayButton(options);
      made.push(button);
      return button;
    },
  };
  let arrive!: () => void;
  let fail!: () => void;
  const load = vi.fn(
    () =>
      new Promise<UiModule>((resolve, reject) => {
        arrive = () => resolve(ui);
        fail = () => reject(new TypeError('Failed to fetch dynamically imported module'));
      }),
  );
  return { load, made, arrive: () => arrive(), fail: () => fail() };
}

function options(): ButtonOptions & { onError: ReturnType<typeof vi.fn<(error: SpayError) => void>> } {
  return {
    config: configForGateway('https://pay.example.com', 'app_demo', ['ali', 'un']),
    onError: vi.fn<(error: SpayError) => void>(),
    lang: 'zh',
    environment: detectEnvironment(WINDOWS_CHROME_UA),
    navigate: vi.fn(),
  };
}

const hosts = () => document.querySelectorAll('spay-modal');
const nextTask = () => new Promise((resolve) => setTimeout(resolve, 0));
const settle = () => new Promise((resolve) => setTimeout(resolve, 20));

let ui: ReturnType<typeof heldUi>;

afterEach(() => {
  for (const button of ui?.made ?? []) button.close();
  document.body.replaceChildren();
});

describe('the loader’s button', () => {
  it('starts loading the UI in the next task, or at the first click if that comes sooner, and only once', async () => {
    ui = heldUi();
    createQueuedButton(ui.load, options());
    expect(ui.load).not.toHaveBeenCalled();
    await nextTask();
    expect(ui.load).toHaveBeenCalledTimes(1);
    ui = heldUi();
    const button = createQueuedButton(ui.load, options());
    void button.click(VALID_DATA);
    expect(ui.load).toHaveBeenCalledTimes(1);
    await nextTask();
    void button.click(VALID_DATA);
    void button.click(VALID_DATA);
    ui.arrive();
    await settle();
    expect(ui.load).toHaveBeenCalledTimes(1);
    expect(ui.made).toHaveLength(1);
  });

  it('keeps a click made before the UI arrives, and opens the dialog the moment it does', async () => {
    ui = heldUi();
    const button = createQueuedButton(ui.load, options());
    void button.click(VALID_DATA);
    await settle();
    expect(hosts()).toHaveLength(0);
    ui.arrive();
    await Promise.resolve().then(() => Promise.resolve()).then(() => Promise.resolve());
    // Within the microtasks after the module has arrived: no timer, no frame in between.
    expect(hosts()).toHaveLength(1);
  });

  it('opens one dialog for ten clicks made before the UI arrived', async () => {
    ui = heldUi();
    const button = createQueuedButton(ui.load, options());
    const outcomes = Array.from({ length: 10 }, () => button.click(VALID_DATA));
    ui.arrive();
    await settle();
    expect(hosts()).toHaveLength(1);
    ui.made[0]?.close();
    // Every click hears the one order's outcome.
    expect(new Set(await Promise.all(outcomes.map((outcome) => outcome.then((o) => o.status))))).toEqual(new Set(['cancelled']));
  });

  it('goes straight to the UI once it is there: the dialog is open when click returns', async () => {
    ui = heldUi();
    const button = createQueuedButton(ui.load, options());
    await nextTask();
    ui.arrive();
    await settle();
    void button.click(VALID_DATA);
    expect(hosts()).toHaveLength(1);
  });

  it('reports a waiting invalid click once, after the current task, and opens nothing', async () => {
    ui = heldUi();
    const opts = options();
    const dataError = vi.fn();
    const fetch = vi.spyOn(globalThis, 'fetch');
    const button = createQueuedButton(ui.load, opts);
    const outcome = button.click(dataWith({ out_trade_no: 'abc' }), { dataError });
    ui.arrive();
    await Promise.resolve().then(() => Promise.resolve()).then(() => Promise.resolve());
    expect(dataError).not.toHaveBeenCalled();
    await settle();
    expect(dataError).toHaveBeenCalledTimes(1);
    expect(opts.onError).toHaveBeenCalledTimes(1);
    expect(opts.onError.mock.calls[0]?.[0]).toMatchObject({ code: 'PARAM_INVALID', field: 'out_trade_no' });
    await expect(outcome).resolves.toMatchObject({ status: 'failed' });
    expect(hosts()).toHaveLength(0);
    expect(fetch).not.toHaveBeenCalled();
    fetch.mockRestore();
  });

  it('ends each waiting click in one NETWORK error when the UI cannot be loaded, and the next click loads it again', async () => {
    ui = heldUi();
    const opts = options();
    const dataErrors = [vi.fn(), vi.fn()];
    const button = createQueuedButton(ui.load, opts);
    const outcomes = dataErrors.map((dataError) => button.click(VALID_DATA, { dataError }));
    ui.fail();
    const [first] = await Promise.all(outcomes);
    expect(first).toMatchObject({ status: 'failed', error: { code: 'NETWORK' } });
    // Delivered after the task that learned of the failure, so a BC.err assigned in it still hears it.
    expect(opts.onError).not.toHaveBeenCalled();
    await nextTask();
    for (const dataError of dataErrors) expect(dataError).toHaveBeenCalledTimes(1);
    expect(opts.onError).toHaveBeenCalledTimes(2);
    expect(opts.onError.mock.calls[0]?.[0]).toEqual({ code: 'NETWORK', ERROR: 'the payment button could not be loaded from the payment gateway' });
    expect(hosts()).toHaveLength(0);

    const retry = button.click(VALID_DATA);
    expect(ui.load).toHaveBeenCalledTimes(2);
    ui.arrive();
    await settle();
    expect(hosts()).toHaveLength(1);
    ui.made[0]?.close();
    await expect(retry).resolves.toMatchObject({ status: 'cancelled' });
  });

  it('takes a click with no event, or a non-object one, when the UI cannot be loaded', async () => {
    ui = heldUi();
    const opts = options();
    const button = createQueuedButton(ui.load, opts);
    const outcomes = [button.click(VALID_DATA), button.click(VALID_DATA, 'not an event')];
    ui.fail();
    await Promise.all(outcomes);
    await nextTask();
    expect(opts.onError).toHaveBeenCalledTimes(2);
  });
});
