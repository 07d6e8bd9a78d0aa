import type { App } from '../apps';
import type { Bill } from '../bills/bill';
import { escapeHtml } from '../http/escape-html';
import { formatYuan } from './html-page';
import { STATUS_TEXT } from './result-page';

/** How many bills the sandbox index lists. */
export const INDEX_BILLS = 50;

/** The body of the sandbox index: the apps' public ids and channels, and recent bills with their pages. Nothing secret. */
export function renderIndex(apps: Iterable<App>, bills: Bill[], path: string): string {
  const appItems = [...apps]
    .map((app) => `<li><code>${escapeHtml(app.appId)}</code>: ${escapeHtml(app.channels.join(', '))}${app.webhookUrl ? '' : ' (无 webhook)'}</li>`)
    .join('\n');
  const rows = bills
    .map((bill) => {
      const id = encodeURIComponent(bill.id);
      return `<tr><td>${escapeHtml(bill.out_trade_no)}</td><td>${escapeHtml(bill.title)}</td><td>${formatYuan(bill.fee)}</td><td>${bill.channel}</td><td>${STATUS_TEXT[bill.status]}</td><td><a href="${path}/sandbox/cashier/${id}">收银台</a> · <a href="${path}/sandbox/result/${id}">结果</a></td></tr>`;
    })
    .join('\n');
  const table =
    bills.length === 0
      ? '<p class="note">还没有账单。</p>'
      : `<div class="table-wrap"><table><thead><tr><th>订单号</th><th>商品</th><th>金额</th><th>渠道</th><th>状态</th><th>页面</th></tr></thead><tbody>\n${rows}\n</tbody></table></div>`;
  return `<div class="card">
<p class="badge">沙箱环境</p>
<h1>spay-button 沙箱</h1>
<h2>应用</h2>
<ul>
${appItems}
</ul>
<h2>最近的账单</h2>
${table}
</div>`;
}
