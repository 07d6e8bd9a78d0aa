import { PNG } from 'pngjs';
import { ANDROID, IPHONE } from './support/devices';
import { decodePng, decodeQr, greyPixels } from './support/qr';
import { dialog, expect, test } from './support/stack';

test.describe('on an iPhone', () => {
  test.use(IPHONE);

  test('Alipay resolves to ALI_WAP with use_app and reaches the cashier', async ({ page, demo }) => {
    await page.goto(demo.merchantUrl);
    const request = page.waitForRequest((r) => r.method() === 'POST' && r.url().endsWith('/1/pay/jsbutton/bill'));
    await page.getByRole('button', { name: '立即购买' }).tap();
    await dialog(page).getByRole('button', { name: '支付宝' }).tap();
    const body = JSON.parse((await request).postData() ?? '{}');
    expect(body).toMatchObject({ channel: 'ALI_WAP', use_app: true });
    await expect(page).toHaveURL(/\/sandbox\/cashier\//);
    await expect(page.getByText('将尝试唤起支付宝 App')).toBeVisible();
    await page.getByRole('button', { name: '确认支付' }).tap();
    await expect(page.getByRole('heading', { name: '支付成功' })).toBeVisible();
  });

  test('the picker is a bottom sheet with touch targets of at least 44 px, and the page cannot scroll behind it', async ({ page, demo }) => {
    await page.goto(demo.merchantUrl);
    await page.getByRole('button', { name: '立即购买' }).tap();
    const viewport = page.viewportSize() as { height: number };
    // Polled: the sheet slides up for a moment before it rests on the bottom edge.
    await expect.poll(async () => {
      const box = await dialog(page).boundingBox();
      return box ? Math.round(box.y + box.height) : -1;
    }).toBe(viewport.height);
    for (const button of await dialog(page).getByRole('button').all()) {
      const size = await button.boundingBox();
      expect(size?.height).toBeGreaterThanOrEqual(44);
      expect(size?.width).toBeGreaterThanOrEqual(44);
    }
    expect(await page.evaluate(() => getComputedStyle(document.documentElement).overflow)).toBe('hidden');
    await dialog(page).getByRole('button', { name: '关闭' }).tap();
    expect(await page.evaluate(() => getComputedStyle(document.documentElement).overflow)).not.toBe('hidden');
  });
});

test.describe('on an Android phone', () => {
  test.use(ANDROID);

  test('UnionPay, JD, Baidu and Yeepay resolve to their WAP channels', async ({ page, demo }) => {
    const channels: string[] = [];
    page.on('request', (r) => {
      if (r.method() === 'POST' && r.url().endsWith('/1/pay/jsbutton/bill')) channels.push(JSON.parse(r.postData() ?? '{}').channel);
    });
    for (const label of ['银联', '京东支付', '百度钱包', '易宝支付']) {
      await page.goto(demo.merchantUrl);
      await page.getByRole('button', { name: '立即购买' }).tap();
      await dialog(page).getByRole('button', { name: label, exact: true }).tap();
      await expect(page).toHaveURL(/\/sandbox\/cashier\//);
    }
    expect(channels).toEqual(['UN_WAP', 'JD_WAP', 'BD_WAP', 'YEE_WAP']);
  });

  test('the WeChat QR shows a hint that fits a phone', async ({ page, demo }) => {
    await page.goto(demo.merchantUrl);
    await page.getByRole('button', { name: '立即购买' }).tap();
    await dialog(page).getByRole('button', { name: '微信扫码' }).tap();
    await expect(dialog(page).getByRole('img', { name: '支付二维码' })).toBeVisible();
    await expect(dialog(page).getByText('请长按保存二维码，或用另一台设备的微信扫一扫')).toBeVisible();
  });

  test('the WeChat QR is an image the buyer can save, crisp on the screen, that a scanner reads from the saved file', async ({ page, demo }) => {
    await page.goto(demo.merchantUrl);
    await page.getByRole('button', { name: '立即购买' }).tap();
    await dialog(page).getByRole('button', { name: '微信扫码' }).tap();
    const code = dialog(page).getByRole('img', { name: '支付二维码' });
    await expect(code).toBeVisible();
    // A long press saves an <img>; it offers nothing for an SVG drawn in the page. The SVG comes first
    // and the image replaces it once that has painted.
    await expect.poll(() => code.evaluate((element) => element.tagName)).toBe('IMG');
    const src = (await code.getAttribute('src')) as string;
    expect(src).toMatch(/^data:image\/png;base64,/);
    const saved = Buffer.from(src.slice(src.indexOf(',') + 1), 'base64');
    expect(PNG.sync.read(saved).width).toBeGreaterThanOrEqual(300);
    const fromAlbum = decodePng(saved);
    expect(fromAlbum).toMatch(new RegExp(`^${demo.gatewayUrl}/sandbox/qr/`));
    // On the screen (3 device pixels per CSS pixel here) it stays pure black and white, and reads.
    const { width, grey } = await greyPixels(code);
    expect(width).toBeGreaterThanOrEqual(660);
    expect(grey).toBe(0);
    expect(await decodeQr(code)).toBe(fromAlbum);
  });
});

test.describe('in a 320 px wide viewport', () => {
  test.use({ ...IPHONE, viewport: { width: 320, height: 568 } });

  test('every channel button of the sheet is reachable and inside the screen', async ({ page, demo }) => {
    await page.goto(demo.merchantUrl);
    await page.getByRole('button', { name: '立即购买' }).tap();
    const buttons = dialog(page).locator('ul button');
    await expect(buttons).toHaveCount(6);
    for (const button of await buttons.all()) {
      await button.scrollIntoViewIfNeeded();
      const box = await button.boundingBox();
      expect(box && box.x >= 0 && box.x + box.width <= 320).toBe(true);
      await expect(button).toBeInViewport();
    }
  });
});
