import type { Bill, BillStatus } from '../bills/bill';
import { escapeHtml } from '../http/escape-html';
import { formatYuan } from './html-page';
import { returnUrlWithResult } from './return-url';

/** How the result page names each bill status. */
export const STATUS_TEXT: Record<BillStatus, string> = {
  PAID: '支付成功',
  UNPAID: '未支付',
  CANCELLED: '已取消',
  FAILED: '支付失败',
};

/** The body of the sandbox's own result page (the "完成页面"), with a way back to the merchant or the cashier. */
export function renderResult(bill: Bill, path: string): string {
  const id = encodeURIComponent(bill.id);
  const links: string[] = [];
  if (bill.status !== 'PAID') links.push(`<a class="link" href="${path}/sandbox/cashier/${id}">返回收银台</a>`);
  if (bill.status === 'PAID' && bill.return_url !== undefined) {
    links.push(`<a class="link" href="${escapeHtml(returnUrlWithResult(bill.return_url, bill))}">返回商户页面</a>`);
  }
  return `<div class="card">
<p class="badge">沙箱环境</p>
<h1 class="status">${STATUS_TEXT[bill.status]}</h1>
<dl>
<dt>商品</dt><dd>${escapeHtml(bill.title)}</dd>
<dt>金额</dt><dd class="amount">${formatYuan(bill.fee)}</dd>
<dt>订单号</dt><dd>${escapeHtml(bill.out_trade_no)}</dd>
</dl>
<div class="actions">
${links.join('\n')}
</div>
</div>`;
}
