import { type GatewayContext, publicPath } from '../context';
import type { Answer } from '../http/answer';
import { renderCashier } from './cashier-page';
import { billNotFoundPage, pageAnswer, seeOther } from './html-page';
import { renderIndex, INDEX_BILLS } from './index-page';
import { renderResult } from './result-page';
import { returnUrlWithResult } from './return-url';
import { abandonBill, payBill } from './settle';

/** The outcomes a buyer can play at the cashier. */
export type CashierAction = 'pay' | 'cancel' | 'fail';

/** GET|POST /sandbox/cashier/:id and GET /sandbox/qr/:id: the cashier page (a phone scanning the QR lands here too). */
export async function showCashier(context: GatewayContext, id: string, base: string): Promise<Answer> {
  const bill = await context.store.getBill(id);
  if (bill === undefined) return billNotFoundPage();
  return pageAnswer('沙箱收银台', renderCashier(bill, publicPath(base)));
}

/** POST /sandbox/cashier/:id/(pay|cancel|fail): settles the bill and sends the buyer on with a 303. */
export async function settleAtCashier(context: GatewayContext, id: string, action: CashierAction, base: string): Promise<Answer> {
  const bill = await context.store.getBill(id);
  // A bill a live channel takes is paid there, never by the sandbox's buttons.
  if (bill === undefined || context.live?.connectorFor(bill, bill.channel) !== undefined) return billNotFoundPage();
  const resultPage = `${base}/sandbox/result/${encodeURIComponent(bill.id)}`;
  if (action !== 'pay') {
    await abandonBill(context, bill, action === 'cancel' ? 'CANCELLED' : 'FAILED');
    return seeOther(resultPage);
  }
  const paid = (await payBill(context, bill, new Date())).bill ?? bill;
  return seeOther(paid.return_url === undefined ? resultPage : returnUrlWithResult(paid.return_url, paid));
}

/** GET /sandbox/result/:id: the gateway's own result page. */
export async function showResult(context: GatewayContext, id: string, base: string): Promise<Answer> {
  const bill = await context.store.getBill(id);
  if (bill === undefined) return billNotFoundPage();
  return pageAnswer('支付结果', renderResult(bill, publicPath(base)));
}

/** GET /sandbox: the sandbox index. */
export async function showIndex(context: GatewayContext, base: string): Promise<Answer> {
  const bills = await context.store.listBills({ limit: INDEX_BILLS });
  return pageAnswer('spay-button 沙箱', renderIndex(context.apps.values(), bills, publicPath(base)), 200, true);
}
