import type { Page } from 'playwright-core';
import type { SignedOrder } from './orders';

/** ms from BC.click to the picker dialog in the shadow root, and to the end of the frame that paints it. */
export interface ClickToPaint {
  dom: number;
  paint: number;
}

/** Opens the picker for `order` (no request is made), measures, then closes it with Escape. */
export async function measureClickToPaint(page: Page, order: SignedOrder): Promise<ClickToPaint> {
  const result = (await page.evaluate('window.__bench.clickToPaint(' + JSON.stringify(order) + ')')) as ClickToPaint;
  await closeModal(page);
  return result;
}

/** Presses Escape in the modal and waits until the host element is gone; throws when it stays. */
export async function closeModal(page: Page): Promise<void> {
  const closed = await page.evaluate('window.__bench.closeModal()');
  if (!closed) await page.waitForFunction('!document.querySelector("spay-modal")', undefined, { timeout: 5000 });
}
