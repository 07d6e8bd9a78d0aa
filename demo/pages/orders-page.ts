import { type ShopOrder, refundable } from '../orders';
import { escapeHtml, layout, yuan } from './html';

const time = (ms?: number) => (ms ? new Date(ms).toLocaleString('zh-CN', { hour12: false }) : '—');

/** What an order's refunds show: each one 退款中 until its verified webhook, then 已退款, and a 退款 button while some is left. */
function refundCell(order: ShopOrder): string {
  const shown = order.refunds.map((refund) => `<span class="refund ${refund.status}">${refund.status === 'refunded' ? '已退款' : '退款中'} ${yuan(refund.fee)}</span>`);
  if (refundable(order) > 0) {
    shown.push(
      `<form method="POST" action="/orders/${escapeHtml(order.outTradeNo)}/refund"><button type="submit" aria-label="退款 ${escapeHtml(order.outTradeNo)}">退款</button></form>`,
    );
  }
  return shown.join(' ') || '—';
}

function statusName(order: ShopOrder): string {
  if (order.status !== 'paid') return '未支付';
  const refunded = order.refunds.filter((refund) => refund.status === 'refunded').reduce((sum, refund) => sum + refund.fee, 0);
  return refunded === 0 ? '已支付' : refunded >= order.amount ? '已退款' : '部分退款';
}

/** The merchant's order list: paid means a verified webhook arrived, nothing else; so does refunded. */
export function ordersPage(orders: ShopOrder[], options: { gatewayUrl: string; notice?: string }): string {
  const rows = orders
    .map(
      (order) => `<tr data-order="${escapeHtml(order.outTradeNo)}">
  <td><code>${escapeHtml(order.outTradeNo)}</code></td>
  <td>${escapeHtml(order.title)}</td>
  <td>${yuan(order.amount)}</td>
  <td class="status ${order.status}">${statusName(order)}</td>
  <td>${escapeHtml(order.channel ?? '—')}</td>
  <td>${order.webhooks}</td>
  <td>${time(order.paidAt)}</td>
  <td class="refunds">${refundCell(order)}</td>
</tr>`,
    )
    .join('\n');
  return layout(
    '订单 · 小满咖啡',
    `<h1>订单</h1>
<p class="hint">“已支付”只在收到验签通过、金额一致的 webhook 后出现，“已退款”也一样。页面每 3 秒刷新。</p>
${options.notice ? `<p class="error" role="alert">${escapeHtml(options.notice)}</p>` : ''}
<div class="table-wrap"><table>
<thead><tr><th>订单号</th><th>商品</th><th>金额</th><th>状态</th><th>渠道</th><th>webhook 次数</th><th>支付时间</th><th>退款</th></tr></thead>
<tbody>
${rows || '<tr><td colspan="8">还没有订单</td></tr>'}
</tbody>
</table></div>`,
    { gatewayUrl: options.gatewayUrl, head: '<meta http-equiv="refresh" content="3">' },
  );
}

/** Where return_url lands: it shows our own record, since the query string proves nothing. */
export function returnPage(order: ShopOrder | undefined, options: { gatewayUrl: string }): string {
  const body = !order
    ? '<h1>找不到订单</h1>'
    : order.status === 'paid'
      ? `<h1>支付成功</h1><p>订单 <code>${escapeHtml(order.outTradeNo)}</code> 已收到 ${yuan(order.amount)}。</p>`
      : `<h1>正在确认支付</h1><p>订单 <code>${escapeHtml(order.outTradeNo)}</code> 还在等待支付通知，页面会自动刷新。</p>`;
  return layout('支付结果 · 小满咖啡', `<section class="result">${body}<p><a href="/orders">查看全部订单</a> · <a href="/">继续购物</a></p></section>`, {
    gatewayUrl: options.gatewayUrl,
    head: order && order.status !== 'paid' ? '<meta http-equiv="refresh" content="2">' : '',
  });
}
