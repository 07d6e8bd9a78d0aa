/**
 * WeChat's browser blocks Alipay, so inside WeChat the buyer is sent to the gateway's guide page for
 * the bill: there it points at WeChat's top-right menu ("在浏览器打开"); opened in a real browser,
 * the same URL carries straight on to Alipay.
 */
export function alipayGuideUrl(apiBase: string, billId: string): string {
  return `${apiBase}/alipay-guide/${encodeURIComponent(billId)}`;
}
