import { cashierUrl } from '../bills/channel-answer';
import type { GatewayContext } from '../context';
import { type Answer, answerWith } from '../http/answer';
import { escapeHtml } from '../http/escape-html';
import type { GatewayRequest } from '../http/gateway-request';
import { billNotFoundPage, formatYuan, pageAnswer } from './html-page';

const WECHAT_BROWSER = /MicroMessenger/i;

// An arrow towards WeChat's top-right "···" menu, where "在浏览器打开" lives.
const POINTER = `<svg class="pointer" role="img" aria-label="点击右上角的 ··· 菜单" viewBox="0 0 120 80" width="120" height="80">
<path d="M10 70 C50 70 80 50 100 14" fill="none" stroke="#1a7f37" stroke-width="5" stroke-linecap="round"/>
<path d="M86 16 L102 10 L104 28" fill="none" stroke="#1a7f37" stroke-width="5" stroke-linecap="round" stroke-linejoin="round"/>
</svg>`;

/**
 * GET /1/pay/jsbutton/alipay-guide/:id: WeChat's browser blocks Alipay, so inside WeChat this page tells
 * the buyer to open it in a browser; opened in a browser, the same URL carries on to the Alipay (ALI_WAP) cashier.
 */
export async function showAlipayGuide(context: GatewayContext, request: GatewayRequest, id: string, base: string): Promise<Answer> {
  const bill = await context.store.getBill(id);
  if (bill === undefined) return billNotFoundPage();
  if (!WECHAT_BROWSER.test(request.header('user-agent') ?? '')) {
    return answerWith(null, 302, { Location: cashierUrl(base, bill, 'ALI_WAP'), 'Cache-Control': 'no-store' });
  }
  return pageAnswer(
    '请在浏览器中打开',
    `<div class="card guide">
<div class="pointer-row">${POINTER}</div>
<h1>请在浏览器中打开</h1>
<p>微信内无法使用支付宝。请点击右上角的 ··· ，选择“在浏览器打开”，在浏览器中继续支付。</p>
<dl>
<dt>商品</dt><dd>${escapeHtml(bill.title)}</dd>
<dt>金额</dt><dd class="amount">${formatYuan(bill.fee)}</dd>
</dl>
</div>`,
  );
}
