import { AlipaySdk } from 'alipay-sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Bill } from '../../bills/bill';
import type { Refund } from '../../bills/refund';
import { listen } from '../../http/listen';
import { isChannelError } from '../connector';
import { type AlipayConnector, createAlipayConnector } from './alipay-connector';
import { formatChinaTime } from './china-time';
import { parseAlipayCredentials } from './credentials';
import { type AlipayEmulator, generateRsaKeys, signNotify, startAlipayEmulator } from './testing/alipay-emulator';

const ALIPAY_APP_ID = '2021000000000001';
const app = generateRsaKeys();
let emulator: AlipayEmulator;
let connector: AlipayConnector;

beforeAll(async () => {
  emulator = await startAlipayEmulator({ appId: ALIPAY_APP_ID, appPublicKey: app.publicKey, notifyRetryMs: 20, notifyAttempts: 3 });
  connector = createAlipayConnector(
    parseAlipayCredentials({ appId: ALIPAY_APP_ID, privateKey: app.privateKey, alipayPublicKey: emulator.alipayPublicKey, endpoint: emulator.endpoint }, 'test'),
    { timeoutMs: 800 },
  );
});
afterAll(async () => {
  await emulator.close();
});

let counter = 0;
function bill(fee = 6800, overrides: Partial<Bill> = {}): Bill {
  counter += 1;
  return {
    id: `bill${counter}`,
    app_id: 'spay-app',
    out_trade_no: `order${Date.now()}${counter}`,
    title: '云南小粒咖啡豆 250g',
    amount: fee,
    fee,
    channel: 'ALI_WEB',
    use_app: false,
    status: 'UNPAID',
    created_at: new Date().toISOString(),
    ...overrides,
  };
}

function refundOf(target: Bill, fee: number, refundNo: string): Refund {
  return { id: refundNo, app_id: target.app_id, mode: 'live', refund_no: refundNo, bill_id: target.id, out_trade_no: target.out_trade_no, refund_fee: fee, status: 'PENDING', created_at: new Date().toISOString() };
}

async function startAt(target: Bill, channel: 'ALI_WEB' | 'ALI_WAP' | 'ALI_QRCODE' = 'ALI_WEB', tradeNo = target.out_trade_no) {
  const answer = await connector.createPayment({
    bill: target,
    channel: channel as Bill['channel'],
    tradeNo,
    notifyUrl: 'http://127.0.0.1:9/notify/alipay/spay-app',
    returnUrl: 'http://127.0.0.1:9/return/alipay/spay-app',
    now: new Date(),
  });
  // The buyer's browser follows the link: the emulator checks the signature and opens the trade.
  const page = await (await fetch(answer.url as string)).text();
  return { answer, page };
}

function lastRequest(method: string) {
  return [...emulator.requests].reverse().find((request) => request.method === method);
}

function sdkFor(privateKey = app.privateKey): AlipaySdk {
  return new AlipaySdk({ appId: ALIPAY_APP_ID, privateKey, alipayPublicKey: emulator.alipayPublicKey, gateway: emulator.endpoint, keyType: 'PKCS8' });
}

describe('the emulator is faithful to alipay-sdk', () => {
  it('verifies the SDK’s own signed request and the SDK verifies its signed answer', async () => {
    const sdk = sdkFor();
    // The SDK writes `timestamp` in the server's zone; China time is what Alipay checks, so pass it as the gateway does.
    const result = await sdk.exec('alipay.trade.query', { bizContent: { outTradeNo: 'nosuchorder1' }, timestamp: formatChinaTime(new Date()) }, { validateSign: true });
    expect(result).toMatchObject({ code: '40004', subCode: 'ACQ.TRADE_NOT_EXIST' });
  });

  it('refuses a request the SDK signed with another key', async () => {
    const result = await sdkFor(generateRsaKeys().privateKey).exec('alipay.trade.query', { bizContent: { outTradeNo: 'x1' }, timestamp: formatChinaTime(new Date()) });
    expect(result).toMatchObject({ code: '40002', subCode: 'isv.invalid-signature' });
  });

  it('opens its cashier for the SDK’s page.pay link', async () => {
    const url = sdkFor().pageExecute('alipay.trade.page.pay', 'GET', {
      bizContent: { outTradeNo: 'sdkorder1', totalAmount: '0.01', subject: 'x', productCode: 'FAST_INSTANT_TRADE_PAY' },
      timestamp: formatChinaTime(new Date()),
    });
    const page = await (await fetch(url)).text();
    expect(page).toContain('确认付款');
    expect(emulator.trades.get('sdkorder1')?.status).toBe('WAIT_BUYER_PAY');
  });

  it('sends notifies that pass the SDK’s checkNotifySignV2, and retries until success', async () => {
    const received: Array<Record<string, string>> = [];
    const server = await listen(
      async (request) => {
        received.push(Object.fromEntries(new URLSearchParams(await request.text())));
        return new Response(received.length < 2 ? 'fail' : 'success');
      },
      { port: 0, host: '127.0.0.1', log: () => {} },
    );
    try {
      const target = bill(198999);
      await connector.createPayment({ bill: target, channel: 'ALI_WEB', tradeNo: target.out_trade_no, notifyUrl: `${server.url}/n`, returnUrl: `${server.url}/r`, now: new Date() }).then(async (answer) => {
        await fetch(answer.url as string);
      });
      await emulator.pay(target.out_trade_no);
      await emulator.settled();
      expect(received).toHaveLength(2);
      const sdk = sdkFor();
      for (const notify of received) expect(sdk.checkNotifySignV2(notify)).toBe(true);
      expect(sdk.checkNotifySignV2({ ...received[0], total_amount: '0.01' })).toBe(false);
      expect(received[0]).toMatchObject({ trade_status: 'TRADE_SUCCESS', total_amount: '1989.99', app_id: ALIPAY_APP_ID });
    } finally {
      await server.close();
    }
  });
});

describe('the Alipay connector', () => {
  it.each([
    [1, '0.01'],
    [198999, '1989.99'],
    [100000000, '1000000.00'],
  ])('asks page.pay for %i fen as total_amount %s, with html and url', async (fee, yuan) => {
    const target = bill(fee);
    const { answer, page } = await startAt(target);
    expect(answer.html).toMatch(/<form [^>]*action="http:\/\/127\.0\.0\.1:\d+\/gateway\.do\?/);
    expect(page).toContain('确认付款');
    const request = lastRequest('alipay.trade.page.pay');
    const biz = JSON.parse(request?.params.biz_content ?? '{}');
    expect(biz).toMatchObject({ out_trade_no: target.out_trade_no, total_amount: yuan, product_code: 'FAST_INSTANT_TRADE_PAY' });
    expect(request?.params).toMatchObject({ app_id: ALIPAY_APP_ID, sign_type: 'RSA2', notify_url: 'http://127.0.0.1:9/notify/alipay/spay-app' });
    expect(emulator.trades.get(target.out_trade_no)?.totalAmount).toBe(yuan);
  });

  it('hands out a form that reaches Alipay intact, also for a title with markup and entities', async () => {
    const target = bill(990, { title: 'Tom & Jerry &lt;3 "限量" <b>' });
    const answer = await connector.createPayment({ bill: target, channel: 'ALI_WEB', tradeNo: target.out_trade_no, notifyUrl: 'http://x/n', returnUrl: 'http://x/r', now: new Date() });
    // What a browser does with the form: decode the attributes, post the inputs to the action (the e2e specs do it in Chromium).
    const decode = (text: string) => text.replace(/&(amp|lt|gt|quot|#39);/g, (_, name: string) => ({ amp: '&', lt: '<', gt: '>', quot: '"', '#39': "'" })[name] as string);
    const html = answer.html as string;
    const action = decode(/<form [^>]*action="([^"]*)"/.exec(html)?.[1] ?? '');
    const fields = new URLSearchParams();
    for (const [, name, value] of html.matchAll(/<input type="hidden" name="([^"]*)" value="([^"]*)">/g)) fields.append(decode(name ?? ''), decode(value ?? ''));
    expect(html).toMatch(/method="POST"/);
    const page = await (await fetch(action, { method: 'POST', body: fields })).text();
    expect(page).toContain('确认付款');
    expect(emulator.trades.get(target.out_trade_no)?.subject).toBe('Tom & Jerry &lt;3 "限量" <b>');
  });

  it('writes the timestamp in China Standard Time whatever the server zone', async () => {
    const zone = process.env.TZ;
    process.env.TZ = 'America/Los_Angeles';
    try {
      const target = bill(100);
      const { page } = await startAt(target);
      expect(page).toContain('确认付款');
      const stamp = lastRequest('alipay.trade.page.pay')?.params.timestamp ?? '';
      expect(Math.abs(new Date(`${stamp.replace(' ', 'T')}+08:00`).getTime() - Date.now())).toBeLessThan(60_000);
    } finally {
      if (zone === undefined) delete process.env.TZ;
      else process.env.TZ = zone;
    }
  });

  it('asks wap.pay with QUICK_WAP_WAY and quit_url, and ALI_QRCODE page.pay with qr_pay_mode', async () => {
    await startAt(bill(500), 'ALI_WAP');
    const wap = JSON.parse(lastRequest('alipay.trade.wap.pay')?.params.biz_content ?? '{}');
    expect(wap).toMatchObject({ product_code: 'QUICK_WAP_WAY', quit_url: 'http://127.0.0.1:9/return/alipay/spay-app' });
    await startAt(bill(500), 'ALI_QRCODE');
    const qr = JSON.parse(lastRequest('alipay.trade.page.pay')?.params.biz_content ?? '{}');
    expect(qr).toMatchObject({ product_code: 'FAST_INSTANT_TRADE_PAY', qr_pay_mode: '4', qrcode_width: 200 });
  });

  it('makes bill_timeout the trade’s time_expire in China time', async () => {
    const now = new Date();
    const target = bill(100, { bill_timeout: 900 });
    const answer = await connector.createPayment({ bill: target, channel: 'ALI_WEB', tradeNo: target.out_trade_no, notifyUrl: 'http://x/n', returnUrl: 'http://x/r', now });
    await fetch(answer.url as string);
    const biz = JSON.parse(lastRequest('alipay.trade.page.pay')?.params.biz_content ?? '{}');
    expect(biz.time_expire).toBe(formatChinaTime(new Date(now.getTime() + 900_000)));
  });

  it('queries a trade: not found, unpaid, then paid with its fee in fen', async () => {
    const target = bill(198999);
    expect((await connector.queryPayment(target.out_trade_no, target)).state).toBe('not_found');
    await startAt(target);
    expect((await connector.queryPayment(target.out_trade_no, target)).state).toBe('unpaid');
    emulator.loseNotifies(target.out_trade_no);
    await emulator.pay(target.out_trade_no);
    const paid = await connector.queryPayment(target.out_trade_no, target);
    expect(paid).toMatchObject({ state: 'paid', fee: 198999, tradeNo: target.out_trade_no });
    expect(paid.channelTradeNo).toMatch(/^\d{20,}$/);
  });

  it('closes an open trade, closes a trade Alipay never made, and reports a trade paid meanwhile', async () => {
    const open = bill();
    await startAt(open);
    expect(await connector.closePayment(open.out_trade_no, open)).toEqual({ state: 'closed' });
    expect(emulator.trades.get(open.out_trade_no)?.status).toBe('TRADE_CLOSED');
    const { page } = await startAt(open);
    expect(page).toContain('ACQ.TRADE_HAS_CLOSE');
    const never = bill();
    expect(await connector.closePayment(never.out_trade_no, never)).toEqual({ state: 'closed' });
    const paid = bill();
    await startAt(paid);
    emulator.loseNotifies(paid.out_trade_no);
    await emulator.pay(paid.out_trade_no);
    expect(await connector.closePayment(paid.out_trade_no, paid)).toMatchObject({ state: 'paid', trade: { state: 'paid', fee: paid.fee } });
  });

  it('reads a genuine notify, and refuses forged, tampered and foreign ones', async () => {
    const target = bill(6800);
    const params = { notify_type: 'trade_status_sync', app_id: ALIPAY_APP_ID, out_trade_no: target.out_trade_no, trade_no: '2026120122001', trade_status: 'TRADE_SUCCESS', total_amount: '68.00' };
    const notify = (fields: Record<string, string>, key = emulator.alipayPrivateKey) => {
      const signed: Record<string, string> = { ...fields, sign_type: 'RSA2' };
      signed.sign = signNotify(signed, key);
      return signed;
    };
    const read = (fields: Record<string, string>) =>
      connector.readNotify({ method: 'POST', query: new URLSearchParams(), header: () => null, body: new TextEncoder().encode(new URLSearchParams(fields).toString()) }, new Date());
    expect(await read(notify(params))).toMatchObject({ kind: 'payment', trade: { state: 'paid', fee: 6800, tradeNo: target.out_trade_no, channelTradeNo: '2026120122001' } });
    expect((await read(notify(params, generateRsaKeys().privateKey))).kind).toBe('refused');
    expect((await read({ ...notify(params), total_amount: '0.01' })).kind).toBe('refused');
    expect((await read(notify({ ...params, app_id: '2021999999999999' }))).kind).toBe('refused');
    expect((await read({ ...params })).kind).toBe('refused');
    expect(connector.notifyReply(true).body).toBe('success');
    expect(connector.notifyReply(false).body).toBe('fail');
  });

  it('refunds part of a paid trade twice, keyed by refund_no, and the refund query confirms each', async () => {
    const target = bill(10000);
    await startAt(target);
    emulator.loseNotifies(target.out_trade_no);
    await emulator.pay(target.out_trade_no);
    const first = refundOf(target, 3000, 'refund0001');
    expect(await connector.refund(target.out_trade_no, target, first)).toMatchObject({ state: 'success', fee: 3000 });
    // The same refund_no again is the same refund, not a second one.
    expect(await connector.refund(target.out_trade_no, target, first)).toMatchObject({ state: 'success', fee: 3000 });
    const second = refundOf(target, 7000, 'refund0002');
    expect(await connector.refund(target.out_trade_no, target, second)).toMatchObject({ state: 'success', fee: 7000 });
    expect(await connector.queryRefund(target.out_trade_no, target, first)).toMatchObject({ state: 'success', fee: 3000 });
    expect(await connector.queryRefund(target.out_trade_no, target, refundOf(target, 1, 'refund0404'))).toMatchObject({ state: 'pending' });
    const tooMuch = connector.refund(target.out_trade_no, target, refundOf(target, 1, 'refund0003'));
    await expect(tooMuch).rejects.toMatchObject({ name: 'ChannelError', channelCode: 'ACQ.TRADE_STATUS_ERROR' });
  });

  it('turns Alipay’s sub_code and sub_msg into a ChannelError, and so a timeout and an HTTP error', async () => {
    const target = bill();
    emulator.failNext('alipay.trade.query', { subCode: 'ACQ.SYSTEM_ERROR', subMsg: '系统错误' });
    const error = await connector.queryPayment(target.out_trade_no, target).catch((caught: unknown) => caught);
    expect(isChannelError(error)).toBe(true);
    expect(error).toMatchObject({ channelCode: 'ACQ.SYSTEM_ERROR' });
    expect((error as Error).message).toContain('系统错误');

    emulator.failNext('alipay.trade.query', 'hang');
    const started = Date.now();
    await expect(connector.queryPayment(target.out_trade_no, target)).rejects.toMatchObject({ channelCode: 'ALIPAY_TIMEOUT' });
    expect(Date.now() - started).toBeLessThan(5000);

    emulator.failNext('alipay.trade.close', 'http-error');
    await expect(connector.closePayment(target.out_trade_no, target)).rejects.toMatchObject({ name: 'ChannelError' });
  });

  it('refuses an answer not signed by Alipay’s key', async () => {
    const other = await startAlipayEmulator({ appId: ALIPAY_APP_ID, appPublicKey: app.publicKey });
    try {
      const impostor = createAlipayConnector(
        parseAlipayCredentials({ appId: ALIPAY_APP_ID, privateKey: app.privateKey, alipayPublicKey: emulator.alipayPublicKey, endpoint: other.endpoint }, 'test'),
      );
      const target = bill();
      await expect(impostor.queryPayment(target.out_trade_no, target)).rejects.toMatchObject({ channelCode: 'ALIPAY_SIGN_INVALID' });
    } finally {
      await other.close();
    }
  });
});

describe('Alipay credentials', () => {
  it('reads PEM text, bare base64 and key files, and defaults the endpoint', () => {
    const bare = (pem: string) => pem.replace(/-----[^-]+-----/g, '').replace(/\s+/g, '');
    const parsed = parseAlipayCredentials({ appId: ALIPAY_APP_ID, privateKey: bare(app.privateKey), alipayPublicKey: bare(app.publicKey) }, 'apps[0].live.alipay');
    expect(parsed.endpoint).toBe('https://openapi.alipay.com/gateway.do');
    expect(parsed.privateKey).toContain('BEGIN PRIVATE KEY');
  });

  it.each([
    ['no appId', { privateKey: 'x' }, 'apps[0].live.alipay.appId'],
    ['no privateKey', { appId: ALIPAY_APP_ID, alipayPublicKey: app.publicKey }, 'apps[0].live.alipay.privateKey'],
    ['no alipayPublicKey', { appId: ALIPAY_APP_ID, privateKey: app.privateKey }, 'apps[0].live.alipay.alipayPublicKey'],
    ['a key that does not parse', { appId: ALIPAY_APP_ID, privateKey: '-----BEGIN PRIVATE KEY-----\nnope\n-----END PRIVATE KEY-----', alipayPublicKey: app.publicKey }, 'apps[0].live.alipay.privateKey does not parse'],
    ['a missing key file', { appId: ALIPAY_APP_ID, privateKey: '/nonexistent/app.pem', alipayPublicKey: app.publicKey }, 'apps[0].live.alipay.privateKey names the file'],
    ['an ftp endpoint', { appId: ALIPAY_APP_ID, privateKey: app.privateKey, alipayPublicKey: app.publicKey, endpoint: 'ftp://x' }, 'apps[0].live.alipay.endpoint'],
  ])('refuses %s, naming the field', (_label, value, message) => {
    let thrown: Error | undefined;
    try {
      parseAlipayCredentials(value, 'apps[0].live.alipay');
    } catch (error) {
      thrown = error as Error;
    }
    expect(thrown?.message).toContain(message);
    expect(thrown?.message).not.toContain('MII');
  });
});
