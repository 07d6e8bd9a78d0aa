import { dialog, expect, test } from './support/stack';

// Every desktop channel that leaves the page (form or redirect) ends at the sandbox cashier, and
// paying there brings the buyer back to the shop while the webhook marks the order paid.
const CHANNELS = [
  { label: '支付宝', rest: 'ALI_WEB' },
  { label: '银联', rest: 'UN_WEB' },
  { label: '京东支付', rest: 'JD_WEB' },
  { label: '百度钱包', rest: 'BD_WEB' },
  { label: '易宝支付', rest: 'YEE_WEB' },
];

for (const channel of CHANNELS) {
  test(`pays with ${channel.rest} through the cashier and the shop sees the webhook`, async ({ page, demo }) => {
    const violations: string[] = [];
    page.on('console', (message) => {
      if (/Content Security Policy/i.test(message.text())) violations.push(message.text());
    });
    await page.goto(demo.merchantUrl);
    await page.getByRole('button', { name: '立即购买' }).click();
    const modal = dialog(page);
    await expect(modal).toBeVisible();
    await expect(modal.getByText('云南小粒咖啡豆 250g')).toBeVisible();
    await expect(modal.getByText('¥68.00')).toBeVisible();
    await modal.getByRole('button', { name: channel.label, exact: true }).click();

    await expect(page).toHaveURL(/\/sandbox\/cashier\//);
    await expect(page.getByText(channel.rest)).toBeVisible();
    await page.getByRole('button', { name: '确认支付' }).click();

    await expect(page).toHaveURL(new RegExp(`^${demo.merchantUrl}/return\\?`));
    expect(new URL(page.url()).searchParams.get('trade_success')).toBe('true');
    await expect(page.getByRole('heading', { name: '支付成功' })).toBeVisible();

    const orders = (await (await fetch(`${demo.merchantUrl}/api/orders`)).json()) as { status: string; channel: string; webhooks: number }[];
    expect(orders[0]).toMatchObject({ status: 'paid', channel: channel.rest });
    await page.goto(`${demo.merchantUrl}/orders`);
    await expect(page.getByRole('cell', { name: '已支付' })).toBeVisible();
    expect(violations).toEqual([]);
  });
}

test('the picker shows the desktop channels in the configured order, WeChat JSAPI hidden', async ({ page, demo }) => {
  await page.goto(demo.merchantUrl);
  await page.getByRole('button', { name: '立即购买' }).click();
  const names = await dialog(page).locator('ul button').allInnerTexts();
  expect(names.map((name) => name.replace(/^\S\s*/, '').trim())).toEqual(['支付宝', '微信扫码', '银联', '京东支付', '百度钱包', '易宝支付']);
  await dialog(page).getByRole('button', { name: '关闭' }).click();
  await expect(dialog(page)).toHaveCount(0);
  await expect(page.getByRole('button', { name: '立即购买' })).toBeFocused();
});
