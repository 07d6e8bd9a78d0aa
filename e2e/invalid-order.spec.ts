import { countBillRequests, dialog, expect, signedOrder, test } from './support/stack';

test('an invalid order reaches BC.err and sends no bill request', async ({ page, fixtures }) => {
  const order = { ...signedOrder(), out_trade_no: 'abc' };
  await page.goto(await fixtures.url('bc-err', { order }));
  const bills = countBillRequests(page);
  await page.getByRole('button', { name: 'pay' }).click();
  await expect(page.locator('#errors')).toContainText('out_trade_no must be 8-32 letters or digits');
  await expect(page.locator('#errors li')).toHaveCount(1);
  await expect(page.locator('spay-modal')).toHaveCount(0);
  expect(bills.count()).toBe(0);
});

test('the gateway refuses a tampered amount and the modal says so, with no bill made', async ({ page, fixtures, demo }) => {
  const order = { ...signedOrder({ amount: 6800 }), amount: 1 };
  await page.goto(await fixtures.url('bc-err', { order }));
  await page.getByRole('button', { name: 'pay' }).click();
  await dialog(page).getByRole('button', { name: '支付宝' }).click();
  await expect(dialog(page).getByRole('alert')).toContainText('sign');
  await expect(page.locator('#errors')).toContainText('SIGN_INVALID');
  expect((await demo.gateway.gateway.store.listBills({ limit: 100 }))).toHaveLength(0);
});
