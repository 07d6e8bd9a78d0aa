import { dialog, expect, signedOrder, test } from './support/stack';

const BILL = '**/1/pay/jsbutton/bill';
const ran = (page: import('@playwright/test').Page) => page.evaluate(() => (window as unknown as { __ran?: string[] }).__ran ?? []);

test('a title and a gateway message containing HTML are shown as text and run nothing', async ({ page, fixtures }) => {
  const title = '<img src=x onerror=__ran=[1]>';
  await page.goto(await fixtures.url('shop', { order: signedOrder({ title }) }));
  await page.locator('#pay').click();
  await expect(dialog(page).getByText(title)).toBeVisible();
  await page.route(BILL, (route) =>
    route.fulfill({
      status: 400,
      contentType: 'application/json',
      headers: { 'Access-Control-Allow-Origin': '*' },
      body: JSON.stringify({ result_code: 5, result_msg: 'PARAM_INVALID', err_detail: '<b>bold</b><img src=x onerror="__ran=[2]">' }),
    }),
  );
  await dialog(page).getByRole('button', { name: '支付宝' }).click();
  await expect(dialog(page).getByRole('alert')).toHaveText('<b>bold</b><img src=x onerror="__ran=[2]">');
  await expect(page.locator('spay-modal').locator('img, b')).toHaveCount(0);
  expect(await ran(page)).toEqual([]);
});

test('a channel form carrying scripts and handlers is rebuilt without them; a javascript: action is refused', async ({ page, fixtures }) => {
  await page.goto(await fixtures.url('shop', { order: signedOrder() }));
  let answer = 0;
  await page.route(BILL, async (route) => {
    answer++;
    const action = answer === 1 ? 'javascript:window.__ran=[3]' : new URL('/sandbox', route.request().url()).href;
    const html = `<form action="${action}" method="POST" onsubmit="window.__ran=[4]"><input type="hidden" name="a" value="1">
      <img src=x onerror="window.__ran=[5]"></form><script>window.__ran=[6]</script>`;
    await route.fulfill({
      contentType: 'application/json',
      headers: { 'Access-Control-Allow-Origin': '*' },
      body: JSON.stringify({ result_code: 0, result_msg: 'OK', err_detail: '', id: 'b1', html }),
    });
  });
  await page.locator('#pay').click();
  await dialog(page).getByRole('button', { name: '支付宝' }).click();
  await expect(dialog(page).getByRole('alert')).toContainText('must be http or https');
  expect(await ran(page)).toEqual([]);

  await page.locator('spay-modal').getByRole('button', { name: '关闭' }).click();
  await page.locator('#pay').click();
  const navigation = page.waitForRequest((request) => request.url().endsWith('/sandbox') && request.method() === 'POST');
  await dialog(page).getByRole('button', { name: '支付宝' }).click();
  expect((await navigation).postData()).toBe('a=1');
});
