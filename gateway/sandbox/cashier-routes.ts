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
export function showCashier(context: GatewayContext, id: string, base: string): Answer {
  const bill = context.store.get(id);
  if (bill === undefined) return billNotFoundPage();
  return pageAnswer('沙箱收银台', renderCashier(bill, publicPath(base)));
}

/** POST /sandbox/cashier/:id/(pay|cancel|fail): settles the bill and sends the buyer on with a 303. */
export function settleAtCashier(context: GatewayContext, id: string, action: CashierAction, base: string): Answer {
  const bill = context.store.get(id);
  if (bill === undefined) return billNotFoundPage();
  const resultPage = `${base}/sandbox/result/${encodeURIComponent(bill.id)}`;
  if (action !== 'pay') {
    abandonBill(context, bill, action === 'cancel' ? 'CANCELLED' : 'FAILED');
    return seeOther(resultPage);
  }
  const paid = payBill(context, bill, new Date());
  return seeOther(paid.return_url === undefined ? resultPage : returnUrlWithResult(paid.return_url, paid));
}

/** GET /sandbox/result/:id: the gateway's own result page. */
export function showResult(context: GatewayContext, id: string, base: string): Answer {
  const bill = context.store.get(id);
  if (bill === undefined) return billNotFoundPage();
  return pageAnswer('支付结果', renderResult(bill, publicPath(base)));
}

/** GET /sandbox: the sandbox index. */
export function showIndex(context: GatewayContext, base: string): Answer {
  return pageAnswer('spay-button 沙箱', renderIndex(context.apps.values(), context.store.list(INDEX_BILLS), publicPath(base)), 200, true);
}
