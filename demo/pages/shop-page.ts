import { escapeHtml, layout, scriptJson, yuan } from './html';

/** What the shop page hands to BC.click: the signed order, made on this server. */
export interface SignedOrder {
  title: string;
  amount: number;
  out_trade_no: string;
  sign: string;
  return_url: string;
  optional: Record<string, string>;
}

/** The product page: one product, a buy button, and the gateway's script tag. */
export function shopPage(order: SignedOrder, options: { gatewayUrl: string; appId: string }): string {
  const scriptSrc = `${options.gatewayUrl}/1/pay/jsbutton/returnscripts?appId=${encodeURIComponent(options.appId)}`;
  return layout(
    '小满咖啡 · 秒支付 Button 演示',
    `<article class="product">
  <div class="photo" aria-hidden="true"><span>☕</span></div>
  <div class="info">
    <h1>${escapeHtml(order.title)}</h1>
    <p class="desc">云南保山小粒咖啡，中度烘焙，250 克。付款走本地沙箱，不会产生真实扣款。</p>
    <p class="price">${yuan(order.amount)}</p>
    <button id="buy" class="buy" type="button">立即购买</button>
    <p id="pay-error" class="error" role="alert" hidden></p>
    <p class="meta">订单号 <code>${escapeHtml(order.out_trade_no)}</code> · 每次打开页面生成新订单</p>
  </div>
</article>
<script type="application/json" id="spay-order">${scriptJson(order)}</script>
<script id="spay-script" src="${escapeHtml(scriptSrc)}"></script>
<script src="/static/shop.js"></script>`,
    { gatewayUrl: options.gatewayUrl },
  );
}
