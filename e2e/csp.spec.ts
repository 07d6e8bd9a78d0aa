import { dialog, expect, signedOrder, test, watchCsp } from './support/stack';
import { pagePolicy as strictPolicy } from '../demo/merchant';
import { ANDROID } from './support/devices';
import { decodeQr } from './support/qr';

test('under a strict CSP the picker, the QR module and the channel form work with no violation', async ({ page, context, fixtures }) => {
  const violations = await watchCsp(page);
  await page.goto(await fixtures.url('shop', { order: signedOrder() }, strictPolicy));
  await page.locator('#pay').click();
  await dialog(page).getByRole('button', { name: '微信扫码' }).click();
  const code = dialog(page).getByRole('img', { name: '支付二维码' });
  await expect(code).toBeVisible();
  expect(await decodeQr(code)).toContain('/sandbox/qr/');
  await expect(dialog(page).locator('.channel')).toHaveCount(0);
  expect(await violations()).toEqual([]);

  const second = await context.newPage();
  const secondViolations = await watchCsp(second);
  await second.goto(await fixtures.url('shop', { order: signedOrder() }, strictPolicy));
  await second.locator('#pay').click();
  await expect(dialog(second)).toBeVisible();
  expect(await secondViolations()).toEqual([]);
  // A form-action violation would block the channel form, and the page would stay where it is.
  await dialog(second).getByRole('button', { name: '银联' }).click();
  await expect(second).toHaveURL(/\/sandbox\/cashier\//);
});

test.describe('on a phone, under a policy that allows no data: images', () => {
  test.use(ANDROID);

  test('the QR code falls back from the saved-image PNG to the SVG, and still reads', async ({ page, fixtures }) => {
    const violations = await watchCsp(page);
    const noDataImages = (gatewayUrl: string) => strictPolicy(gatewayUrl).replace("img-src 'self' data:", "img-src 'self'");
    await page.goto(await fixtures.url('shop', { order: { ...signedOrder(), instant_channel: 'wxmp' } }, noDataImages));
    await page.locator('#pay').tap();
    const code = dialog(page).getByRole('img', { name: '支付二维码' });
    await expect(code).toBeVisible();
    // The one refusal is the PNG's; nothing else the widget does needs more than the policy allows.
    await expect.poll(violations).toEqual(['img-src data']);
    await expect.poll(() => code.evaluate((element) => element.tagName.toLowerCase())).toBe('svg');
    expect(await decodeQr(code)).toContain('/sandbox/qr/');
  });
});
