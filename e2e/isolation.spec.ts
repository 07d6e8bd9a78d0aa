import { dialog, expect, signedOrder, test } from './support/stack';

// A page that restyles everything it can reach, with !important, and a fixed header on top.
const HOSTILE = `<style>
  * { font-size: 40px !important; box-sizing: content-box !important; color: red !important; line-height: 3 !important; }
  div { display: none !important; }
  button { background: yellow !important; padding: 30px !important; }
  svg { display: none !important; }
  spay-modal, body > * { opacity: 0.2; transform: scale(0.5); }
  .page-fixed { position: fixed; top: 0; left: 0; right: 0; height: 100vh; z-index: 2147483647; background: rgba(0,0,255,0.3); }
</style>`;

test('the modal keeps its look on a page that restyles *, button, div and svg, and stays on top', async ({ page, fixtures }) => {
  await page.goto(await fixtures.url('shop', { order: signedOrder(), head: HOSTILE }));
  await page.locator('#pay').click({ force: true });
  const modal = dialog(page);
  await expect(modal).toBeVisible();
  const alipay = modal.getByRole('button', { name: '支付宝' });
  const style = await alipay.evaluate((el) => {
    const s = getComputedStyle(el);
    return { fontSize: s.fontSize, color: s.color, boxSizing: s.boxSizing, background: s.backgroundColor };
  });
  expect(style).toEqual({ fontSize: '16px', color: 'rgb(31, 35, 41)', boxSizing: 'border-box', background: 'rgb(255, 255, 255)' });
  const host = await page.locator('spay-modal').evaluate((el) => {
    const s = getComputedStyle(el);
    return { opacity: s.opacity, transform: s.transform, zIndex: s.zIndex, position: s.position };
  });
  expect(host).toEqual({ opacity: '1', transform: 'none', zIndex: '2147483647', position: 'fixed' });
  // The host comes later in the DOM at the same z-index, so it paints above the page's fixed header.
  const box = (await alipay.boundingBox())!;
  const topmost = await page.evaluate(([x, y]) => document.elementFromPoint(x as number, y as number)?.tagName, [box.x + box.width / 2, box.y + box.height / 2]);
  expect(topmost).toBe('SPAY-MODAL');
  await alipay.click();
  await expect(page).toHaveURL(/\/sandbox\/cashier\//);
});

test('the widget leaks none of its styles into the page', async ({ page, fixtures }) => {
  await page.goto(await fixtures.url('shop', { order: signedOrder() }));
  const snapshot = () =>
    page.evaluate(() => {
      const s = getComputedStyle(document.getElementById('page-button') as HTMLElement);
      return [s.fontSize, s.fontFamily, s.color, s.backgroundColor, s.borderRadius, s.padding, document.styleSheets.length, document.adoptedStyleSheets.length];
    });
  const before = await snapshot();
  await page.locator('#pay').click();
  await expect(dialog(page)).toBeVisible();
  expect(await snapshot()).toEqual(before);
});
