import { escapeHtml } from '../http/escape-html';
export { formatYuan } from '../../src/core/money';
import { type Answer, answerWith } from '../http/answer';

/** Headers for every sandbox page: no scripts at all, no framing, no caching, no referrer to the merchant. */
export const SANDBOX_PAGE_HEADERS: Readonly<Record<string, string>> = Object.freeze({
  'Content-Type': 'text/html; charset=utf-8',
  'Content-Security-Policy': "default-src 'none'; style-src 'unsafe-inline'; form-action *; base-uri 'none'; frame-ancestors 'none'",
  'X-Frame-Options': 'DENY',
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  'Cache-Control': 'no-store',
});

const STYLE = `
*{box-sizing:border-box}
body{margin:0;font:16px/1.5 -apple-system,"PingFang SC","Microsoft YaHei",system-ui,sans-serif;background:#f2f4f7;color:#1f2328}
main{max-width:28rem;margin:0 auto;padding:1.5rem 1rem}
.card{background:#fff;border-radius:12px;padding:1.25rem;box-shadow:0 1px 3px rgba(0,0,0,.08)}
.badge{display:inline-block;margin:0 0 .5rem;padding:.1rem .5rem;border-radius:999px;background:#fff4e5;color:#8a4b00;font-size:.8rem}
h1{font-size:1.35rem;margin:.25rem 0 1rem}
dl{display:grid;grid-template-columns:auto 1fr;gap:.4rem 1rem;margin:0 0 1rem}
dt{color:#656d76}dd{margin:0;word-break:break-all}
.amount{font-size:1.6rem;font-weight:600;color:#cf222e}
.actions{display:grid;gap:.6rem;margin-top:1.25rem}
.actions form{margin:0}
button,.link{display:block;width:100%;min-height:2.75rem;padding:.6rem 1rem;border-radius:8px;border:1px solid #d0d7de;background:#f6f8fa;color:#1f2328;font:inherit;text-align:center;text-decoration:none;cursor:pointer}
button.primary{background:#1a7f37;border-color:#1a7f37;color:#fff}
button:focus-visible,.link:focus-visible,a:focus-visible{outline:3px solid #0969da;outline-offset:2px}
.note{color:#656d76;font-size:.9rem}
.status{font-size:1.25rem;font-weight:600}
.pointer-row{display:flex;justify-content:flex-end}
main.wide{max-width:60rem}
.table-wrap{overflow-x:auto}
table{width:100%;border-collapse:collapse;font-size:.9rem}th,td{text-align:left;padding:.35rem .5rem;border-bottom:1px solid #eaeef2;white-space:nowrap}
`;

/** A complete zh-CN, mobile-friendly HTML page; `title` is escaped, `body` must already be safe HTML; `wide` for tables. */
export function renderPage(title: string, body: string, wide = false): string {
  return `<!doctype html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<title>${escapeHtml(title)}</title>
<style>${STYLE}</style>
</head>
<body>
<main${wide ? ' class="wide"' : ''}>
${body}
</main>
</body>
</html>
`;
}

/** A sandbox HTML page as an Answer with the sandbox headers. */
export function pageAnswer(title: string, body: string, status = 200, wide = false): Answer {
  return answerWith(renderPage(title, body, wide), status, SANDBOX_PAGE_HEADERS);
}

/** The sandbox's page for a bill id it does not know. */
export function billNotFoundPage(): Answer {
  return pageAnswer('找不到账单', '<div class="card"><h1>找不到账单</h1><p>这个账单不存在，或沙箱已重启（沙箱账单只保存在内存中）。</p></div>', 404);
}

/** A 303 redirect, as the channel sends the buyer on after a POST. */
export function seeOther(location: string): Answer {
  return answerWith(null, 303, { ...SANDBOX_PAGE_HEADERS, Location: location });
}

