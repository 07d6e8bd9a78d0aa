import { expect, test } from './support/stack';

// The shop's order list refunds a paid order from its own server by REST; the row says 已退款 only once the
// gateway's REFUND webhook has arrived and verified.
test('refunds a paid order from the order list and shows it once the refund webhook arrives', async ({ page, demo }) => {
  const violations: string[] = [];
  page.on('console', (message) => {
    if (/Content Security Policy/i.test(message.text())) violations.push(message.text());
  });
  const body = await (await fetch(`${demo.merchantUrl}/api/new-order?channel=ALI_WEB`)).json();
  const bill = await (
    await fetch(`${demo.gatewayUrl}/1/pay/jsbutton/bill`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) })
  ).json();
  await fetch(`${demo.gatewayUrl}/sandbox/cashier/${bill.id}/pay`, { method: 'POST', redirect: 'manual' });

  await page.goto(`${demo.merchantUrl}/orders`);
  const row = page.getByRole('row').filter({ hasText: body.out_trade_no });
  await expect(row.getByRole('cell', { name: '已支付' })).toBeVisible();
  await row.getByRole('button', { name: '退款' }).click();

  await expect(page).toHaveURL(`${demo.merchantUrl}/orders`);
  await expect(row.getByText('已退款 ¥68.00')).toBeVisible();
  await expect(row.getByRole('cell', { name: '已退款', exact: true })).toBeVisible();
  await expect(row.getByRole('button', { name: '退款' })).toHaveCount(0);
  expect(violations).toEqual([]);
});
