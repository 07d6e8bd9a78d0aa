import { dialog, expect, signedOrder, test } from './support/stack';

test('a page written for the original service works with only its script src changed', async ({ page, fixtures, demo }) => {
  const order = signedOrder({ title: '云南 coffee 豆子', amount: 1 });
  await page.goto(await fixtures.url('original-docs', order));
  expect(await page.evaluate(() => typeof (window as unknown as { BC?: unknown }).BC)).toBe('object');
  await page.getByRole('button', { name: '去支付' }).click();
  await dialog(page).getByRole('button', { name: '支付宝' }).click();
  await expect(page).toHaveURL(/\/sandbox\/cashier\//);
  await page.getByRole('button', { name: '确认支付' }).click();
  await expect(page).toHaveURL(new RegExp(`^${demo.merchantUrl}/return\\?`));
  const bill = (await demo.gateway.gateway.store.listBills({ limit: 10 }))[0];
  expect(bill).toMatchObject({ out_trade_no: order.out_trade_no, status: 'PAID', optional: { test: 'returned-in-webhook' } });
});

test('BC does not exist before the script runs, then beecloud:onready fires once it does', async ({ page, fixtures }) => {
  const url = await fixtures.url('late-script');
  await page.goto(url);
  await expect(page.locator('#log')).toHaveText('undefined → ready:object');
});

test('the bundle served as a plain static file reads its app, gateway and channels from its own tag', async ({ page, fixtures }) => {
  await page.goto(await fixtures.url('static-script', { order: signedOrder() }));
  await page.getByRole('button', { name: 'pay' }).click();
  const names = await dialog(page).locator('ul button').allInnerTexts();
  expect(names.map((name) => name.replace(/^\S\s*/, '').trim())).toEqual(['银联', '支付宝']);
  await dialog(page).getByRole('button', { name: '银联' }).click();
  await expect(page).toHaveURL(/\/sandbox\/cashier\//);
  await expect(page.getByText('UN_WEB')).toBeVisible();
});
