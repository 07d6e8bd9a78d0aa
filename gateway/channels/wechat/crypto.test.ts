import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { Aes, Formatter, Rsa } from 'wechatpay-axios-plugin';
import { answerMessage, decryptResource, jsapiPaySign, requestMessage, signSha256Rsa, verifySha256Rsa } from './crypto';
import { beijingTime, cutToUtf8Bytes } from './prepay';

// wechatpay-axios-plugin as the oracle: the connector's own node:crypto code must agree with a maintained SDK.
const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });

describe('WeChat Pay v3 crypto, checked against wechatpay-axios-plugin', () => {
  it('builds the request sign string exactly as the SDK does, and the SDK verifies the signature', () => {
    const body = JSON.stringify({ description: '秒支付 测试', amount: { total: 1, currency: 'CNY' } });
    const ours = requestMessage('post', '/v3/pay/transactions/native', '1554208460', '593BEC0C930BF1AFEB40B4A08C8FB242', body);
    expect(ours).toBe(Formatter.request('POST', '/v3/pay/transactions/native', '1554208460', '593BEC0C930BF1AFEB40B4A08C8FB242', body));
    expect(requestMessage('GET', '/v3/pay/transactions/out-trade-no/X1?mchid=1', '1', 'N', '')).toBe(Formatter.request('GET', '/v3/pay/transactions/out-trade-no/X1?mchid=1', '1', 'N', ''));
    expect(Rsa.verify(ours, signSha256Rsa(ours, privateKey), publicKey)).toBe(true);
  });

  it('verifies an answer the SDK signs, over the raw bytes, and refuses any change', () => {
    const body = '{"code_url":"weixin://wxpay/bizpayurl?pr=p4lpSuKzz"}';
    const signature = Rsa.sign(Formatter.response('1554209980', 'c5ac7061fccab6bf3e254dcf98995b8c', body), privateKey);
    expect(verifySha256Rsa(answerMessage('1554209980', 'c5ac7061fccab6bf3e254dcf98995b8c', Buffer.from(body)), signature, publicKey)).toBe(true);
    expect(verifySha256Rsa(answerMessage('1554209981', 'c5ac7061fccab6bf3e254dcf98995b8c', Buffer.from(body)), signature, publicKey)).toBe(false);
    expect(verifySha256Rsa(answerMessage('1554209980', 'c5ac7061fccab6bf3e254dcf98995b8c', Buffer.from(`${body} `)), signature, publicKey)).toBe(false);
    expect(verifySha256Rsa('x', 'WECHATPAY/SIGNTEST/abc', publicKey)).toBe(false);
  });

  it('makes a JSAPI paySign the SDK verifies over appId\\ntimeStamp\\nnonceStr\\npackage\\n', () => {
    const params = { appId: 'wxd678efh567hg6787', timeStamp: '1414561699', nonceStr: '5K8264ILTKCH16CQ2502SI8ZNMTM67VS', package: 'prepay_id=wx201410272009395522657a690389285100' };
    const message = Formatter.joinedByLineFeed(params.appId, params.timeStamp, params.nonceStr, params.package);
    expect(Rsa.verify(message, jsapiPaySign(params, privateKey), publicKey)).toBe(true);
  });

  it('decrypts what the SDK encrypts with AES-256-GCM, and refuses a wrong key, nonce or associated data', () => {
    const key = randomBytes(16).toString('hex');
    const plaintext = JSON.stringify({ out_trade_no: 'T1', amount: { total: 100000000 }, title: '中文' });
    const ciphertext = Aes.AesGcm.encrypt(plaintext, key, 'fdasflkja484', 'transaction');
    expect(decryptResource({ ciphertext, nonce: 'fdasflkja484', associated_data: 'transaction' }, Buffer.from(key))).toBe(plaintext);
    expect(() => decryptResource({ ciphertext, nonce: 'fdasflkja484', associated_data: 'transaction' }, Buffer.from(randomBytes(16).toString('hex')))).toThrow();
    expect(() => decryptResource({ ciphertext, nonce: 'fdasflkja485', associated_data: 'transaction' }, Buffer.from(key))).toThrow();
    expect(() => decryptResource({ ciphertext, nonce: 'fdasflkja484', associated_data: 'refund' }, Buffer.from(key))).toThrow();
    const empty = Aes.AesGcm.encrypt(plaintext, key, 'fdasflkja484', '');
    expect(decryptResource({ ciphertext: empty, nonce: 'fdasflkja484' }, Buffer.from(key))).toBe(plaintext);
    expect(() => decryptResource({ ciphertext: 'AAAA', nonce: 'fdasflkja484' }, Buffer.from(key))).toThrow('shorter');
  });
});

describe('request fields', () => {
  it.each([
    ['2026-12-01T16:00:00.000Z', '2026-12-02T00:00:00+08:00'],
    ['2026-12-31T16:30:59.999Z', '2027-01-01T00:30:59+08:00'],
    ['2026-06-01T03:04:05.000Z', '2026-06-01T11:04:05+08:00'],
  ])('writes %s as %s for time_expire', (iso, expected) => {
    expect(beijingTime(new Date(iso))).toBe(expected);
  });

  it.each([
    ['', 127, ''],
    ['abc', 127, 'abc'],
    ['中文', 5, '中'],
    ['中文', 6, '中文'],
    ['é😀', 4, 'é'],
    ['é😀', 6, 'é😀'],
  ])('cuts %j to %i bytes as %j', (text, bytes, expected) => {
    expect(cutToUtf8Bytes(text, bytes)).toBe(expected);
  });
});
