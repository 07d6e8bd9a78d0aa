import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Bill } from '../../../bills/bill';
import { startReceiver, waitFor } from '../../../testing/receiver';
import { parseUnionpayConfig } from '../config';
import { createUnionpayConnector } from '../connector';
import { startUnionpayEmulator, type UnionpayEmulator } from './emulator';
import { readForm } from './form';
import { loadUnionpayTestCa, type UnionpayTestCa } from './test-ca';

// An independent check of the emulator and the connector against UnionPay's published recipe (ACP SDK, signMethod 01:
// the sorted k=v string, SHA-256 as lowercase hex, SHA256withRSA over that hex, base64), done by the openssl command
// rather than by any code of ours, and of the certificate chain by `openssl verify`.
const OPENSSL = spawnSync('openssl', ['version'], { encoding: 'utf8' });
const HAS_OPENSSL = OPENSSL.status === 0;
if (!HAS_OPENSSL) console.warn('skipping the openssl cross-checks: no openssl command on this machine');

const MER_ID = '777290058110048';
let ca: UnionpayTestCa;
let dir: string;
let emulator: UnionpayEmulator;
let receiver: Awaited<ReturnType<typeof startReceiver>>;

function openssl(...args: string[]): string {
  return execFileSync('openssl', args, { cwd: dir, encoding: 'utf8' });
}

/** The ACP sign string, written out here by hand from the specification. */
function acpString(fields: Record<string, string>): string {
  return Object.keys(fields)
    .filter((k) => k !== 'signature' && fields[k] !== '')
    .sort()
    .map((k) => `${k}=${fields[k]}`)
    .join('&');
}

/** openssl's lowercase hex SHA-256 of the sign string, written to digest.txt (what gets signed). */
function opensslDigest(fields: Record<string, string>): string {
  writeFileSync(join(dir, 'data.txt'), acpString(fields));
  const hex = openssl('dgst', '-sha256', '-r', 'data.txt').split(' ')[0]!;
  writeFileSync(join(dir, 'digest.txt'), hex);
  return hex;
}

function opensslVerifies(fields: Record<string, string>, publicKeyFile: string): boolean {
  opensslDigest(fields);
  writeFileSync(join(dir, 'sig.bin'), Buffer.from(fields.signature ?? '', 'base64'));
  const run = spawnSync('openssl', ['dgst', '-sha256', '-verify', publicKeyFile, '-signature', 'sig.bin', 'digest.txt'], { cwd: dir, encoding: 'utf8' });
  return run.status === 0 && run.stdout.includes('Verified OK');
}

function bill(): Bill {
  const n = Math.floor(Math.random() * 1e12);
  return { id: `b${n}`, app_id: 'app', out_trade_no: `order${n}`, title: 't', amount: 1, fee: 1, channel: 'UN_WEB', use_app: true, status: 'UNPAID', created_at: new Date().toISOString() };
}

describe.skipIf(!HAS_OPENSSL)('UnionPay emulator and connector, checked by the openssl command', () => {
  beforeAll(async () => {
    ca = loadUnionpayTestCa();
    dir = mkdtempSync(join(tmpdir(), 'spay-unionpay-openssl-'));
    writeFileSync(join(dir, 'root.pem'), ca.root.certPem);
    writeFileSync(join(dir, 'middle.pem'), ca.middle.certPem);
    writeFileSync(join(dir, 'merchant.key'), ca.merchant.keyPem);
    writeFileSync(join(dir, 'merchant.crt'), ca.merchant.certPem);
    openssl('x509', '-in', 'merchant.crt', '-pubkey', '-noout', '-out', 'merchant-pub.pem');
    emulator = await startUnionpayEmulator({ merchants: [{ merId: MER_ID, certPem: ca.merchant.certPem }], signer: { certPem: ca.unionpay.certPem, keyPem: ca.unionpay.keyPem } });
    receiver = await startReceiver((_attempt, res) => void res.writeHead(200).end('ok'));
  }, 120_000);

  afterAll(async () => {
    await emulator?.close();
    await receiver?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('the emulator accepts a consume signed by openssl as the ACP SDK signs, and refuses it altered', async () => {
    const fields: Record<string, string> = {
      version: '5.1.0', encoding: 'utf-8', signMethod: '01', txnType: '01', txnSubType: '01', bizType: '000201', channelType: '07',
      accessType: '0', currencyCode: '156', merId: MER_ID, certId: openssl('x509', '-in', 'merchant.crt', '-noout', '-serial').trim().replace('serial=', ''),
      orderId: `openssl${Date.now()}`, txnTime: '20261202003005', txnAmt: '100', frontUrl: 'https://shop.example.com/back', backUrl: receiver.url,
    };
    fields.certId = BigInt(`0x${fields.certId}`).toString(10);
    expect(fields.certId).toBe(ca.merchant.serial);
    opensslDigest(fields);
    openssl('dgst', '-sha256', '-sign', 'merchant.key', '-out', 'sig.bin', 'digest.txt');
    fields.signature = readFileSync(join(dir, 'sig.bin')).toString('base64');
    const front = `${emulator.url}/gateway/api/frontTransReq.do`;
    expect(await (await fetch(front, { method: 'POST', body: new URLSearchParams(fields) })).text()).toContain('确认付款');
    const altered = { ...fields, orderId: `${fields.orderId}x` };
    expect(await (await fetch(front, { method: 'POST', body: new URLSearchParams(altered) })).text()).toContain('respCode=11');
  });

  it("the connector's form signature verifies with openssl and its certId is the certificate's serial", async () => {
    writeFileSync(join(dir, 'sign.pfx'), ca.merchant.pfx);
    const config = parseUnionpayConfig(
      { merId: MER_ID, signCert: 'sign.pfx', signCertPassword: ca.merchant.password, rootCert: ca.root.certPem, middleCert: ca.middle.certPem, endpoint: emulator.url },
      'live.unionpay',
      { baseDir: dir },
    );
    const connector = createUnionpayConnector(config);
    const b = bill();
    const form = readForm((await connector.createPayment({ bill: b, channel: 'UN_WEB', tradeNo: b.out_trade_no, notifyUrl: receiver.url, returnUrl: 'https://gw.example.com/r', now: new Date() })).html!);
    expect(opensslVerifies(form.fields, 'merchant-pub.pem')).toBe(true);
    expect(opensslVerifies({ ...form.fields, txnAmt: '2' }, 'merchant-pub.pem')).toBe(false);
    const serial = openssl('x509', '-in', 'merchant.crt', '-noout', '-serial').trim().replace('serial=', '');
    expect(form.fields.certId).toBe(BigInt(`0x${serial}`).toString(10));
  });

  it("the emulator's back notify carries a certificate that openssl verifies up to the root, named 中国银联股份有限公司, and a signature openssl verifies", async () => {
    const config = parseUnionpayConfig(
      { merId: MER_ID, signCert: ca.merchant.keyPem + ca.merchant.certPem, rootCert: ca.root.certPem, middleCert: ca.middle.certPem, endpoint: emulator.url },
      'live.unionpay',
    );
    const connector = createUnionpayConnector(config);
    const b = bill();
    const form = readForm((await connector.createPayment({ bill: b, channel: 'UN_WAP', tradeNo: b.out_trade_no, notifyUrl: receiver.url, returnUrl: 'https://gw.example.com/r', now: new Date() })).html!);
    const cashier = readForm(await (await fetch(form.action, { method: 'POST', body: new URLSearchParams(form.fields) })).text());
    await fetch(new URL(cashier.action, emulator.url), { method: 'POST', body: new URLSearchParams(cashier.fields) });
    await waitFor(() => receiver.received.some((r) => r.body.includes(b.out_trade_no)));
    const notify = Object.fromEntries(new URLSearchParams(receiver.received.find((r) => r.body.includes(b.out_trade_no))!.body));
    writeFileSync(join(dir, 'unionpay.pem'), notify.signPubKeyCert!);
    expect(openssl('verify', '-CAfile', 'root.pem', '-untrusted', 'middle.pem', 'unionpay.pem').trim()).toBe('unionpay.pem: OK');
    expect(openssl('x509', '-in', 'unionpay.pem', '-noout', '-subject', '-nameopt', 'utf8,sep_comma_plus')).toContain('中国银联股份有限公司');
    openssl('x509', '-in', 'unionpay.pem', '-pubkey', '-noout', '-out', 'unionpay-pub.pem');
    expect(opensslVerifies(notify, 'unionpay-pub.pem')).toBe(true);
    expect(notify).toMatchObject({ txnType: '01', respCode: '00', orderId: b.out_trade_no, txnAmt: '1', merId: MER_ID });
  });

  it('openssl agrees that the forged certificates are forged: the rogue one does not chain, the wrong-CN one does', () => {
    writeFileSync(join(dir, 'rogue.pem'), ca.rogue.certPem);
    writeFileSync(join(dir, 'wrong-cn.pem'), ca.wrongCn.certPem);
    expect(spawnSync('openssl', ['verify', '-CAfile', 'root.pem', '-untrusted', 'middle.pem', 'rogue.pem'], { cwd: dir }).status).not.toBe(0);
    expect(openssl('verify', '-CAfile', 'root.pem', '-untrusted', 'middle.pem', 'wrong-cn.pem').trim()).toBe('wrong-cn.pem: OK');
    expect(openssl('x509', '-in', 'wrong-cn.pem', '-noout', '-subject', '-nameopt', 'utf8')).not.toContain('中国银联股份有限公司');
  });

  it.each([
    ['OpenSSL 3 defaults (PBES2, AES-256, SHA-256 MAC)', [] as string[]],
    ['the older 3DES and SHA-1 MAC of UnionPay-issued files', ['-keypbe', 'PBE-SHA1-3DES', '-certpbe', 'PBE-SHA1-3DES', '-macalg', 'sha1']],
  ])('opens a .pfx made by openssl with %s', (_name, extra) => {
    openssl('pkcs12', '-export', '-inkey', 'merchant.key', '-in', 'merchant.crt', '-passout', 'pass:s3cret-pfx', '-out', 'openssl.pfx', ...extra);
    const entry = { merId: MER_ID, signCert: 'openssl.pfx', signCertPassword: 's3cret-pfx', rootCert: ca.root.certPem, middleCert: ca.middle.certPem };
    expect(parseUnionpayConfig(entry, 'live.unionpay', { baseDir: dir }).certId).toBe(ca.merchant.serial);
    expect(() => parseUnionpayConfig({ ...entry, signCertPassword: 'nope' }, 'live.unionpay', { baseDir: dir })).toThrow('live.unionpay.signCertPassword does not open openssl.pfx');
  });
});
