import type { Bill } from '../bills/bill';
import { escapeHtml } from '../http/escape-html';
import { CHANNEL_NAMES } from './channel-names';
import { formatYuan } from './html-page';

const ACTIONS: ReadonlyArray<readonly [action: string, label: string, className: string]> = [
  ['pay', '确认支付', 'primary'],
  ['cancel', '取消支付', ''],
  ['fail', '模拟失败', ''],
];

/** The body of the sandbox cashier for a bill: what is being paid and the three outcomes a buyer can play. `path` is the public path prefix. */
export function renderCashier(bill: Bill, path: string): string {
  const id = encodeURIComponent(bill.id);
  const appLine =
    bill.channel === 'ALI_WAP'
      ? `<p class="note">${bill.use_app ? '将尝试唤起支付宝 App' : '不唤起支付宝 App，在网页中完成支付'}</p>`
      : '';
  const paidLine = bill.status === 'PAID' ? '<p class="note">这个订单已经支付，再次确认不会重复扣款。</p>' : '';
  const buttons = ACTIONS.map(
    ([action, label, className]) =>
      `<form method="POST" action="${path}/sandbox/cashier/${id}/${action}"><button type="submit"${className ? ` class="${className}"` : ''}>${label}</button></form>`,
  ).join('\n');
  return `<div class="card">
<p class="badge">沙箱环境 · 不会真实扣款</p>
<h1>沙箱收银台</h1>
<dl>
<dt>支付方式</dt><dd>${escapeHtml(CHANNEL_NAMES[bill.channel])} (${bill.channel})</dd>
<dt>商品</dt><dd>${escapeHtml(bill.title)}</dd>
<dt>金额</dt><dd class="amount">${formatYuan(bill.fee)}</dd>
<dt>订单号</dt><dd>${escapeHtml(bill.out_trade_no)}</dd>
</dl>
${appLine}${paidLine}
<div class="actions">
${buttons}
</div>
</div>`;
}
