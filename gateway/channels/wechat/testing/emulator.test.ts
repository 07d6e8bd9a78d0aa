import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Aes, Formatter, Rsa, Wechatpay } from 'wechatpay-axios-plugin';
import { startWechatEmulator, type WechatEmulator } from './emulator';
import { emulatorMerchant, newTestMerchant, type TestMerchant } from './merchant';

// The emulator proved against a maintained WeChat Pay v3 SDK (wechatpay-axios-plugin, TheNorthMemory) used as a client:
// its signed requests must pass the emulator's Authorization check, and it must accept the emulator's signed answers
// and decrypt and verify its notifications, exactly as it does with WeChat Pay.

let merchant: TestMerchant;
let emulator: WechatEmulator;
let wxpay: InstanceType<typeof Wechatpay>;
let notifyUrl: string;
const notifications: Array<{ headers: IncomingHttpHeaders; body: string }> = [];
let failingAnswers = 0;
const server = createServer((req, res) => {
  const chunks: Buffer[] = [];
  req.on('data', (c: Buffer) => chunks.push(c));
  req.on('end', () => {
    notifications.push({ headers: req.headers, body: Buffer.concat(chunks).toString('utf8') });
    res.writeHead(failingAnswers > 0 ? 500 : 204);
    failingAnswers -= 1;
    res.end();
  });
});

function client(privateKey = merchant.privateKey, certs?: Record<string, string>) {
  // proxy: false keeps axios from honouring any proxy variables: the emulator is on 127.0.0.1.
  return new Wechatpay({
    mchid: merchant.mchId,
    serial: merchant.merchantSerialNo,
    privateKey,
    certs: certs ?? { [emulator.platformPublicKeyId]: emulator.platformPublicKeyPem },
    baseURL: `${emulator.url}/`,
    proxy: false,
  } as unknown as ConstructorParameters<typeof Wechatpay>[0]);
}

interface SdkAnswer {
  status: number;
  // The SDK answers untyped JSON.
  data: Record<string, any>;
}
interface SdkEndpoint {
  get(config?: object): Promise<SdkAnswer>;
  post(data?: object, config?: object): Promise<SdkAnswer>;
}

/** The SDK's chained endpoint for `path` (`v3/pay/transactions/native`), walked untyped: its typings are an index signature. */
function at(sdk: InstanceType<typeof Wechatpay>, path: string): SdkEndpoint {
  let node: unknown = sdk;
  for (const segment of path.split('/')) node = (node as Record<string, unknown>)[segment];
  return node as SdkEndpoint;
}

beforeAll(async () => {
  merchant = newTestMerchant('1900000109', 'wxd678efh567hg6787');
  emulator = await startWechatEmulator({ merchants: [emulatorMerchant(merchant)], notifyRetryDelaysMs: [20, 20] });
  wxpay = client();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  notifyUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/notify`;
});

afterAll(async () => {
  await emulator.close();
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

function order(outTradeNo: string, extra: Record<string, unknown> = {}) {
  return {
    appid: merchant.appId,
    mchid: merchant.mchId,
    description: 'Image形象店-深圳腾大-QQ公仔',
    out_trade_no: outTradeNo,
    notify_url: notifyUrl,
    amount: { total: 100, currency: 'CNY' },
    ...extra,
  };
}

describe('the WeChat Pay emulator, seen by wechatpay-axios-plugin', () => {
  it('accepts the SDK’s signed Native order and answers a code_url the SDK verifies', async () => {
    const { status, data } = await at(wxpay, 'v3/pay/transactions/native').post(order('LIB_NATIVE_01'));
    expect(status).toBe(200);
    expect(data.code_url).toMatch(/^weixin:\/\/wxpay\/bizpayurl\?pr=/);
  });

  it('answers JSAPI with a prepay_id and checks a paySign the SDK makes over it', async () => {
    const { data } = await at(wxpay, 'v3/pay/transactions/jsapi').post(order('LIB_JSAPI_01', { payer: { openid: 'oUpF8uMuAJO_M2pxb1Q9zNjWeS6o' } }));
    expect(data.prepay_id).toMatch(/^wx/);
    const params = { appId: merchant.appId, timeStamp: String(Formatter.timestamp()), nonceStr: Formatter.nonce(), package: `prepay_id=${data.prepay_id}` };
    const paySign = Rsa.sign(Formatter.joinedByLineFeed(params.appId, params.timeStamp, params.nonceStr, params.package), merchant.privateKey);
    expect(emulator.checkJsapiPaySign({ ...params, signType: 'RSA', paySign })).toBe(true);
    expect(emulator.checkJsapiPaySign({ ...params, signType: 'RSA', paySign, nonceStr: 'other' })).toBe(false);
    expect(emulator.checkJsapiPaySign({ ...params, signType: 'MD5', paySign })).toBe(false);
  });

  it('answers H5 with an h5_url, and requires scene_info', async () => {
    const { data } = await at(wxpay, 'v3/pay/transactions/h5').post(
      order('LIB_H5_0001', { scene_info: { payer_client_ip: '203.0.113.7', h5_info: { type: 'Wap' } } }),
    );
    expect(data.h5_url).toMatch(/^https:\/\/wx\.tenpay\.com\//);
    await expect(at(wxpay, 'v3/pay/transactions/h5').post(order('LIB_H5_0002'))).rejects.toMatchObject({ response: { status: 400, data: { code: 'PARAM_ERROR' } } });
  });

  it('refuses a request signed with another key with 401 SIGN_ERROR', async () => {
    const stranger = newTestMerchant();
    const forged = client(stranger.privateKey);
    await expect(at(forged, 'v3/pay/transactions/native').post(order('LIB_FORGED_1'))).rejects.toMatchObject({ response: { status: 401, data: { code: 'SIGN_ERROR' } } });
    expect(emulator.trade('LIB_FORGED_1')).toBeUndefined();
  });

  it('is refused by the SDK when its answer is signed by a key the SDK does not hold', async () => {
    const other = newTestMerchant();
    const wrongCerts = client(merchant.privateKey, { [emulator.platformPublicKeyId]: other.publicKey.export({ type: 'spki', format: 'pem' }).toString() });
    await expect(at(wrongCerts, 'v3/pay/transactions/native').post(order('LIB_WRONGKEY'))).rejects.toMatchObject({ code: 'EV3_RES_HEADER_SIGNATURE_DIGEST' });
  });

  it('queries by out_trade_no (NOTPAY), closes with 204, then refuses the number again with ORDER_CLOSED', async () => {
    await at(wxpay, 'v3/pay/transactions/native').post(order('LIB_CLOSE_01'));
    const tradeNo = at(wxpay, 'v3/pay/transactions/out-trade-no/{out_trade_no}');
    const close = at(wxpay, 'v3/pay/transactions/out-trade-no/{out_trade_no}/close');
    const { data } = await tradeNo.get({ params: { mchid: merchant.mchId }, out_trade_no: 'LIB_CLOSE_01' });
    expect(data).toMatchObject({ out_trade_no: 'LIB_CLOSE_01', trade_state: 'NOTPAY', amount: { total: 100 } });
    const closed = await close.post({ mchid: merchant.mchId }, { out_trade_no: 'LIB_CLOSE_01' });
    expect(closed.status).toBe(204);
    await expect(at(wxpay, 'v3/pay/transactions/native').post(order('LIB_CLOSE_01'))).rejects.toMatchObject({ response: { status: 400, data: { code: 'ORDER_CLOSED' } } });
  });

  it('refuses the same out_trade_no for another trade type with OUT_TRADE_NO_USED, and a query of an unknown one with 404', async () => {
    await at(wxpay, 'v3/pay/transactions/native').post(order('LIB_DUP_0001'));
    const again = await at(wxpay, 'v3/pay/transactions/native').post(order('LIB_DUP_0001'));
    expect(again.status).toBe(200);
    await expect(at(wxpay, 'v3/pay/transactions/jsapi').post(order('LIB_DUP_0001', { payer: { openid: 'o1' } }))).rejects.toMatchObject({
      response: { status: 403, data: { code: 'OUT_TRADE_NO_USED' } },
    });
    const tradeNo = at(wxpay, 'v3/pay/transactions/out-trade-no/{out_trade_no}');
    await expect(tradeNo.get({ params: { mchid: merchant.mchId }, out_trade_no: 'LIB_NOPE_001' })).rejects.toMatchObject({ response: { status: 404, data: { code: 'ORDER_NOT_EXIST' } } });
  });

  it('pays a trade: the notification decrypts with the SDK’s AES-GCM and verifies with its RSA, retried after a 500', async () => {
    await at(wxpay, 'v3/pay/transactions/native').post(order('LIB_PAY_0001', { amount: { total: 198999, currency: 'CNY' } }));
    notifications.length = 0;
    failingAnswers = 1;
    const delivery = await emulator.pay('LIB_PAY_0001');
    expect(delivery.delivered).toBe(true);
    expect(notifications.length).toBe(2);
    expect(delivery.attempts.map((a) => a.status)).toEqual([500, 204]);
    const last = notifications.at(-1) as { headers: IncomingHttpHeaders; body: string };
    const h = last.headers as Record<string, string>;
    expect(h['wechatpay-serial']).toBe(emulator.platformPublicKeyId);
    expect(Rsa.verify(Formatter.response(h['wechatpay-timestamp'] as string, h['wechatpay-nonce'] as string, last.body), h['wechatpay-signature'] as string, Rsa.from(emulator.platformPublicKeyPem, Rsa.KEY_TYPE_PUBLIC))).toBe(true);
    const envelope = JSON.parse(last.body);
    expect(envelope).toMatchObject({ event_type: 'TRANSACTION.SUCCESS', resource_type: 'encrypt-resource', resource: { algorithm: 'AEAD_AES_256_GCM', original_type: 'transaction' } });
    const { ciphertext, nonce, associated_data } = envelope.resource;
    const transaction = JSON.parse(Aes.AesGcm.decrypt(ciphertext, merchant.apiV3Key, nonce, associated_data));
    expect(transaction).toMatchObject({
      appid: merchant.appId,
      mchid: merchant.mchId,
      out_trade_no: 'LIB_PAY_0001',
      trade_state: 'SUCCESS',
      trade_type: 'NATIVE',
      amount: { total: 198999, payer_total: 198999, currency: 'CNY' },
    });
    expect(transaction.transaction_id).toMatch(/^\d{28}$/);
    const { data } = await at(wxpay, 'v3/pay/transactions/out-trade-no/{out_trade_no}').get({ params: { mchid: merchant.mchId }, out_trade_no: 'LIB_PAY_0001' });
    expect(data).toEqual(transaction);
    await expect(at(wxpay, 'v3/pay/transactions/native').post(order('LIB_PAY_0001'))).rejects.toMatchObject({ response: { data: { code: 'ORDERPAID' } } });
  });

  it('refunds a paid trade (PROCESSING, then SUCCESS with a REFUND.SUCCESS notification) and answers the refund query', async () => {
    await at(wxpay, 'v3/pay/transactions/native').post(order('LIB_REFUND_1'));
    await emulator.pay('LIB_REFUND_1');
    const refunds = at(wxpay, 'v3/refund/domestic/refunds');
    const refundNo = at(wxpay, 'v3/refund/domestic/refunds/{out_refund_no}');
    const { data } = await refunds.post({ out_trade_no: 'LIB_REFUND_1', out_refund_no: 'LIB_R_1', notify_url: notifyUrl, amount: { refund: 40, total: 100, currency: 'CNY' } });
    expect(data).toMatchObject({ out_refund_no: 'LIB_R_1', status: 'PROCESSING', amount: { refund: 40, total: 100 } });
    await expect(refunds.post({ out_trade_no: 'LIB_REFUND_1', out_refund_no: 'LIB_R_2', amount: { refund: 61, total: 100, currency: 'CNY' } })).rejects.toMatchObject({
      response: { status: 400, data: { code: 'INVALID_REQUEST' } },
    });
    notifications.length = 0;
    const delivery = await emulator.settleRefund('LIB_R_1');
    expect(delivery?.delivered).toBe(true);
    const envelope = JSON.parse(notifications[0]?.body as string);
    expect(envelope.event_type).toBe('REFUND.SUCCESS');
    const plain = JSON.parse(Aes.AesGcm.decrypt(envelope.resource.ciphertext, merchant.apiV3Key, envelope.resource.nonce, envelope.resource.associated_data));
    expect(plain).toMatchObject({ mchid: merchant.mchId, out_trade_no: 'LIB_REFUND_1', out_refund_no: 'LIB_R_1', refund_status: 'SUCCESS', amount: { refund: 40, total: 100 } });
    const queried = await refundNo.get({ out_refund_no: 'LIB_R_1' });
    expect(queried.data).toMatchObject({ status: 'SUCCESS', refund_id: plain.refund_id });
  });
});
