import { dialog, expect, signedOrder, test } from './support/stack';

const BILL = '**/1/pay/jsbutton/bill';

test('a bill answer lost on the way back ends in a retry that makes no second bill', async ({ page, fixtures, demo }) => {
  await page.goto(await fixtures.url('shop', { order: signedOrder() }));
  // The gateway creates the bill and answers; the answer never reaches the page.
  await page.route(BILL, async (route) => {
    await route.fetch();
    await route.abort('connectionreset');
  });
  await page.locator('#pay').click();
  await dialog(page).getByRole('button', { name: '支付宝' }).click();
  await expect(dialog(page).getByRole('alert')).toContainText('could not be reached');
  await expect(page.locator('#errors li')).toContainText('NETWORK');
  expect((await demo.gateway.gateway.store.listBills({ limit: 10 }))).toHaveLength(1);
  await page.unroute(BILL);
  await dialog(page).getByRole('button', { name: '重试' }).click();
  await expect(page).toHaveURL(/\/sandbox\/cashier\//);
  expect((await demo.gateway.gateway.store.listBills({ limit: 10 }))).toHaveLength(1);
});

for (const fault of [
  { name: 'a 502 with an HTML page', status: 502, body: '<html><body>Bad Gateway</body></html>', expected: 'HTTP 502' },
  { name: 'malformed JSON', status: 200, body: '{"result_code":0,', expected: 'other than JSON' },
  { name: 'JSON without a result_code', status: 200, body: '{"hello":"world"}', expected: 'without a result_code' },
]) {
  test(`${fault.name} from the gateway shows a clear error with retry`, async ({ page, fixtures }) => {
    await page.goto(await fixtures.url('shop', { order: signedOrder() }));
    let calls = 0;
    await page.route(BILL, async (route) => {
      calls++;
      if (calls === 1) await route.fulfill({ status: fault.status, body: fault.body, headers: { 'Access-Control-Allow-Origin': '*' } });
      else await route.continue();
    });
    await page.locator('#pay').click();
    await dialog(page).getByRole('button', { name: '银联' }).click();
    await expect(dialog(page).getByRole('alert')).toContainText(fault.expected);
    await expect(page.locator('#errors li')).toContainText('GATEWAY');
    await dialog(page).getByRole('button', { name: '重试' }).click();
    await expect(page).toHaveURL(/\/sandbox\/cashier\//);
  });
}

test('a gateway that never answers times out into an error with retry', async ({ page, fixtures }) => {
  test.setTimeout(45_000);
  await page.goto(await fixtures.url('shop', { order: signedOrder() }));
  await page.route(BILL, () => {
    /* never answered */
  });
  await page.locator('#pay').click();
  await dialog(page).getByRole('button', { name: '京东支付' }).click();
  await expect(dialog(page).getByRole('alert')).toContainText('did not answer', { timeout: 25_000 });
  await expect(dialog(page).getByRole('button', { name: '重试' })).toBeVisible();
});

test('QR polling rides out failed status requests and still sees the payment', async ({ page, context, fixtures, demo }) => {
  await page.goto(await fixtures.url('shop', { order: signedOrder() }));
  let failures = 0;
  await page.route('**/1/pay/jsbutton/bill/*', async (route) => {
    if (failures < 3) {
      failures++;
      await route.fulfill({ status: 503, body: 'busy', headers: { 'Access-Control-Allow-Origin': '*' } });
    } else await route.continue();
  });
  await page.locator('#pay').click();
  await dialog(page).getByRole('button', { name: '微信扫码' }).click();
  await expect(dialog(page).getByRole('img', { name: '支付二维码' })).toBeVisible();
  const bill = (await demo.gateway.gateway.store.listBills({ limit: 1 }))[0]!;
  const phone = await context.newPage();
  await phone.goto(`${demo.gatewayUrl}/sandbox/qr/${bill.id}`);
  await phone.getByRole('button', { name: '确认支付' }).click();
  await expect(dialog(page).getByRole('button', { name: '完成' })).toBeVisible({ timeout: 20_000 });
  expect(failures).toBe(3);
});
