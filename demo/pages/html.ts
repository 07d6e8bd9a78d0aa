import { formatYuan } from '../../src/core/money';
import { escapeHtml } from '../../gateway/http/escape-html';
import { scriptSafeJson } from '../../gateway/widget/script-config';

export { escapeHtml, formatYuan as yuan, scriptSafeJson as scriptJson };

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
