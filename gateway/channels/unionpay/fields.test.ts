import { describe, expect, it } from 'vitest';
import { encodeFormFields, formatChinaTime, parseAnswerFields, parseChinaTime, parseFormFields } from './fields';
import { signString } from './sign';

describe('UnionPay fields', () => {
  it.each([
    ['2026-12-01T16:30:05Z', '20261202003005'],
    ['2026-12-31T15:59:59Z', '20261231235959'],
    ['2026-12-31T16:00:00Z', '20270101000000'],
    ['2024-02-28T20:00:00.999Z', '20240229040000'],
  ])('writes %s as %s in China Standard Time and reads it back', (iso, stamp) => {
    expect(formatChinaTime(new Date(iso))).toBe(stamp);
    expect(parseChinaTime(stamp)?.getTime()).toBe(Math.floor(new Date(iso).getTime() / 1000) * 1000);
  });

  it('writes China Standard Time whatever the server zone', () => {
    const zone = process.env.TZ;
    try {
      for (const tz of ['America/Los_Angeles', 'Asia/Shanghai', 'Pacific/Kiritimati', 'UTC']) {
        process.env.TZ = tz;
        expect(formatChinaTime(new Date('2026-12-01T16:30:05Z'))).toBe('20261202003005');
      }
    } finally {
      if (zone === undefined) delete process.env.TZ;
      else process.env.TZ = zone;
    }
  });

  it.each([['2026120100300'], ['20261301003005'], ['20260230003005'], ['abc']])('refuses %j as a txnTime', (text) => {
    expect(parseChinaTime(text)).toBeUndefined();
  });

  it('signs sorted non-empty fields but signature, values as they are', () => {
    expect(signString({ txnAmt: '1', signature: 'x', merId: 'm', empty: '', backUrl: 'https://a.example/n?x=1&y=2' })).toBe(
      'backUrl=https://a.example/n?x=1&y=2&merId=m&txnAmt=1',
    );
  });

  it('reads an answer without decoding, splitting only outside braces', () => {
    const cert = '-----BEGIN CERTIFICATE-----\r\nMIIB+/ab==\r\n-----END CERTIFICATE-----';
    const fields = parseAnswerFields(`respCode=00&respMsg=成功[0000000]&reqReserved={a=1&b=2}&signPubKeyCert=${cert}&signature=ab+c/d==`);
    expect(fields).toEqual({ respCode: '00', respMsg: '成功[0000000]', reqReserved: '{a=1&b=2}', signPubKeyCert: cert, signature: 'ab+c/d==' });
  });

  it('reads a form notify with URL decoding', () => {
    const fields = { signature: 'ab+c/d==', respMsg: '成功[0000000]', orderId: 'A1' };
    expect(parseFormFields(new TextEncoder().encode(encodeFormFields(fields)))).toEqual(fields);
  });
});
