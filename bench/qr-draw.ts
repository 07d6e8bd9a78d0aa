import type { Page } from 'playwright-core';
import { closeModal } from './click-to-paint';
import type { SignedOrder } from './orders';

/** ms from the bill answer's responseEnd to the QR code in the modal, and from the click. */
export interface QrDraw {
  afterBill: number;
  /** ms from the bill's responseEnd to the modal host in the page (showing "loading" until the encoder is there). */
  modalAfterBill: number;
  fromClick: number;
  /** When the lazily loaded QR module's responseEnd came relative to the bill's (negative: before). */
  moduleAfterBill: number | null;
}

/** Clicks an order with instant_channel wxmp (WX_NATIVE): the bill answers a code_url and the widget draws the QR. */
export async function measureQrDraw(page: Page, order: SignedOrder): Promise<QrDraw> {
  const result = (await page.evaluate('window.__bench.qrDraw(' + JSON.stringify({ ...order, instant_channel: 'wxmp' }) + ')')) as QrDraw;
  await closeModal(page);
  return result;
}
