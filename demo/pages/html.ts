const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Escapes text for HTML content and attribute values. */
export const escapeHtml = (text: string): string => text.replace(/[&<>"']/g, (char) => ESCAPES[char] as string);

/** JSON that is safe inside a <script type="application/json"> element. */
export const scriptJson = (value: unknown): string =>
  JSON.stringify(value).replace(/</g, '\\u003c').replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029');

/** Formats fen as yuan with two decimals. */
export const yuan = (fen: number): string => `¥${Math.floor(fen / 100)}.${String(fen % 100).padStart(2, '0')}`;

/** The shared page frame: header with the shop's links, then the body. */
export function layout(title: string, body: string, options: { gatewayUrl: string; head?: string }): string {
  return `<!doctype html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width,initial-scale=1,viewport-fit=cover">
<title>${escapeHtml(title)}</title>
<link rel="stylesheet" href="/static/shop.css">
${options.head ?? ''}
</head>
<body>
<header class="top">
  <a class="brand" href="/">小满咖啡 <small>秒支付 Button 演示商户</small></a>
  <nav><a href="/">商品</a><a href="/orders">订单</a><a href="${escapeHtml(options.gatewayUrl)}/sandbox">沙箱网关</a></nav>
</header>
<main>
${body}
</main>
</body>
</html>`;
}
