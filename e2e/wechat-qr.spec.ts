import { decodeQr, greyPixels } from './support/qr';
import { dialog, expect, signedOrder, test } from './support/stack';

test('WeChat QR: a phone scanning the code pays, and the desktop page shows success then returns', async ({ page, context, demo }) => {
  await page.goto(demo.merchantUrl);
  await page.getByRole('button', { name: '立即购买' }).click();
  await dialog(page).getByRole('button', { name: '微信扫码' }).click();

  const code = dialog(page).getByRole('img', { name: '支付二维码' });
  await expect(code).toBeVisible();
  await expect(dialog(page).getByText('请使用微信扫一扫')).toBeVisible();
  const scanned = await decodeQr(code);
  expect(scanned).toMatch(new RegExp(`^${demo.gatewayUrl}/sandbox/qr/`));

  const phone = await context.newPage();
  await phone.goto(scanned as string);
  await expect(phone.getByText('WX_NATIVE')).toBeVisible();
  await phone.getByRole('button', { name: '确认支付' }).click();

  await expect(dialog(page).getByText('支付成功').first()).toBeVisible();
  await expect(page).toHaveURL(new RegExp(`^${demo.merchantUrl}/return\\?`), { timeout: 15_000 });
  await expect(page.getByRole('heading', { name: '支付成功' })).toBeVisible();
});

test('closing the QR view stops polling the bill', async ({ page, demo }) => {
  await page.goto(demo.merchantUrl);
  await page.getByRole('button', { name: '立即购买' }).click();
  await dialog(page).getByRole('button', { name: '微信扫码' }).click();
  await expect(dialog(page).getByRole('img', { name: '支付二维码' })).toBeVisible();
  let polls = 0;
  page.on('request', (request) => {
    if (/\/1\/pay\/jsbutton\/bill\/[^/]+$/.test(request.url())) polls++;
  });
  await page.keyboard.press('Escape');
  await expect(dialog(page)).toHaveCount(0);
  const before = polls;
  await page.waitForTimeout(3000);
  expect(polls).toBe(before);
});

for (const deviceScaleFactor of [1, 1.5, 2.625, 3]) {
  test.describe(`at device pixel ratio ${deviceScaleFactor}`, () => {
    test.use({ deviceScaleFactor });

    test('the QR code is crisp, only black and white pixels, and decodes', async ({ page, fixtures, demo }) => {
      await page.goto(await fixtures.url('shop', { order: { ...signedOrder(), instant_channel: 'wxmp' } }));
      await page.locator('#pay').click();
      const code = dialog(page).getByRole('img', { name: '支付二维码' });
      await expect(code).toBeVisible();
      const { width, grey } = await greyPixels(code);
      expect(width).toBeGreaterThanOrEqual(Math.floor(220 * deviceScaleFactor));
      expect(grey).toBe(0);
      expect(await decodeQr(code)).toMatch(new RegExp(`^${demo.gatewayUrl}/sandbox/qr/`));
    });
  });
}
