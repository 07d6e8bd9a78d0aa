import { seriousViolations } from './support/axe';
import { WECHAT } from './support/devices';
import { dialog, expect, signedOrder, test } from './support/stack';

test('the picker is a modal dialog that takes focus, traps Tab both ways, closes on Esc and gives focus back', async ({ page, fixtures }) => {
  await page.goto(await fixtures.url('shop', { order: signedOrder() }));
  await page.locator('#pay').focus();
  await page.keyboard.press('Enter');
  const modal = dialog(page);
  await expect(modal).toHaveAttribute('aria-modal', 'true');
  await expect(modal).toHaveAccessibleName('选择支付方式');
  const buttons = modal.getByRole('button');
  const count = await buttons.count();
  await expect(buttons.first()).toBeFocused();
  for (let i = 0; i < count; i++) await page.keyboard.press('Tab');
  await expect(buttons.first()).toBeFocused();
  await page.keyboard.press('Shift+Tab');
  await expect(buttons.last()).toBeFocused();
  await page.keyboard.press('Escape');
  await expect(modal).toHaveCount(0);
  await expect(page.locator('#pay')).toBeFocused();
});

test('a second BC.click while the modal is open opens no second modal', async ({ page, fixtures }) => {
  await page.goto(await fixtures.url('shop', { order: signedOrder() }));
  await page.locator('#pay').click();
  await page.evaluate(() => (document.getElementById('pay') as HTMLButtonElement).click());
  await expect(page.locator('spay-modal')).toHaveCount(1);
});

test('axe finds no serious or critical problem in the picker, progress, QR, success and error views', async ({ page, context, fixtures, demo }) => {
  await page.emulateMedia({ reducedMotion: 'reduce' });
  await page.goto(await fixtures.url('shop', { order: signedOrder() }));
  await page.locator('#pay').click();
  await expect(dialog(page)).toBeVisible();
  expect(await seriousViolations(page), 'picker').toEqual([]);

  // Hold the bill request to look at the progress state.
  let release!: () => void;
  const held = new Promise<void>((resolve) => (release = resolve));
  await page.route('**/1/pay/jsbutton/bill', async (route) => {
    await held;
    await route.continue();
  });
  await dialog(page).getByRole('button', { name: '微信扫码' }).click();
  await expect(dialog(page).getByRole('button', { name: '微信扫码' })).toHaveAttribute('aria-busy', 'true');
  await expect(dialog(page).getByRole('status').filter({ hasText: '正在创建订单' })).toHaveCount(1);
  expect(await seriousViolations(page), 'progress').toEqual([]);
  release();

  await expect(dialog(page).getByRole('img', { name: '支付二维码' })).toBeVisible();
  expect(await seriousViolations(page), 'QR').toEqual([]);

  const bill = (await demo.gateway.gateway.store.listBills({ limit: 1 }))[0]!;
  const phone = await context.newPage();
  await phone.goto(`${demo.gatewayUrl}/sandbox/qr/${bill.id}`);
  expect(await seriousViolations(phone, null), 'sandbox cashier').toEqual([]);
  await phone.getByRole('button', { name: '确认支付' }).click();
  await expect(dialog(page).getByRole('button', { name: '完成' })).toBeVisible();
  expect(await seriousViolations(page), 'success').toEqual([]);
  await dialog(page).getByRole('button', { name: '完成' }).click();

  await page.goto(await fixtures.url('shop', { order: { ...signedOrder({ amount: 100 }), amount: 1 } }));
  await page.locator('#pay').click();
  await dialog(page).getByRole('button', { name: '支付宝' }).click();
  await expect(dialog(page).getByRole('alert')).toBeVisible();
  expect(await seriousViolations(page), 'error').toEqual([]);
});

test('errors are announced with role alert, and English is used when the page is in English', async ({ page, fixtures }) => {
  await page.goto(await fixtures.url('shop', { order: { ...signedOrder({ amount: 100 }), amount: 1 }, lang: 'en' }));
  await page.locator('#pay').click();
  const modal = dialog(page);
  await expect(modal).toHaveAccessibleName('Choose a payment method');
  await modal.getByRole('button', { name: 'Alipay' }).click();
  await expect(modal.getByRole('alert')).toContainText('sign');
  await expect(modal.getByRole('heading', { name: 'Payment not completed' })).toBeVisible();
  await expect(modal.getByRole('button', { name: 'Close' })).toBeVisible();
});

test('reduced motion turns the animations off', async ({ page, fixtures }) => {
  await page.emulateMedia({ reducedMotion: 'reduce' });
  await page.goto(await fixtures.url('shop', { order: signedOrder() }));
  await page.locator('#pay').click();
  const duration = await dialog(page).evaluate((element) => getComputedStyle(element).animationDuration);
  expect(parseFloat(duration)).toBeLessThan(0.001);
});

test('axe finds no serious or critical problem on the WeChat guide page', async ({ browser, fixtures, demo }) => {
  const context = await browser.newContext({ ...WECHAT });
  const page = await context.newPage();
  await page.goto(await fixtures.url('shop', { order: { ...signedOrder(), instant_channel: 'ali' } }));
  await page.locator('#pay').tap();
  await expect(page).toHaveURL(new RegExp(`^${demo.gatewayUrl}/1/pay/jsbutton/alipay-guide/`));
  expect(await seriousViolations(page, null)).toEqual([]);
  await context.close();
});
