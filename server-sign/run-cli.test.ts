import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { runCli, USAGE, wantsStdin } from './run-cli';
import { signOrder } from './sign';
import { signLegacyWebhook, signWebhook } from './webhook';

const ENV = { SPAY_APP_SECRET: 'app-secret', SPAY_MASTER_SECRET: 'master-secret' };
const ORDER_ARGS = ['--app-id', 'app-1', '--title', '白开水', '--amount', '1', '--out-trade-no', '201601011234'];
const ORDER_SIGN = signOrder({ appId: 'app-1', title: '白开水', amount: 1, outTradeNo: '201601011234', appSecret: 'app-secret' });

const WEBHOOK_FIELDS = {
  app_id: 'app-1',
  channel_type: 'WX',
  sub_channel_type: 'WX_NATIVE',
  transaction_type: 'PAY',
  transaction_id: '201601011234',
  transaction_fee: 1,
  trade_success: true,
  message_detail: {},
  optional: {},
  timestamp: 1_451_606_400_000,
};
const WEBHOOK_BODY = JSON.stringify({
  ...WEBHOOK_FIELDS,
  signature: signWebhook(WEBHOOK_FIELDS, 'master-secret'),
  sign: signLegacyWebhook('app-1', 'app-secret', WEBHOOK_FIELDS.timestamp),
});

describe('spay-sign (runCli)', () => {
  it.each([
    ['separate values', ORDER_ARGS],
    ['--option=value pairs', ['--app-id=app-1', '--title=白开水', '--amount=1', '--out-trade-no=201601011234']],
    ['options in another order', ['--amount', '1', '--out-trade-no', '201601011234', '--title', '白开水', '--app-id', 'app-1']],
  ])('prints the same sign as signOrder, given %s', async (_case, argv) => {
    expect(await runCli(argv, ENV)).toEqual({ code: 0, stdout: `${ORDER_SIGN}\n`, stderr: '' });
  });

  it('keeps a title that starts with dashes when given as --title=value', async () => {
    const argv = ['--app-id', 'a', '--title=--x', '--amount', '2', '--out-trade-no', '12345678'];
    const sign = signOrder({ appId: 'a', title: '--x', amount: '2', outTradeNo: '12345678', appSecret: 'app-secret' });
    expect((await runCli(argv, ENV)).stdout).toBe(`${sign}\n`);
  });

  it.each([['--help'], ['-h'], ['verify-webhook', '--help']])('prints usage on stdout for %s', async (...argv) => {
    expect(await runCli(argv, ENV)).toEqual({ code: 0, stdout: USAGE, stderr: '' });
  });

  it.each<[string, string[], Record<string, string | undefined>, RegExp]>([
    ['--app-secret with a value', [...ORDER_ARGS, '--app-secret', 'x'], ENV, /--app-secret is refused: .*shell history.*SPAY_APP_SECRET/],
    ['--app-secret=value', [...ORDER_ARGS, '--app-secret=x'], ENV, /--app-secret is refused: .*shell history/],
    ['--master-secret on verify-webhook', ['verify-webhook', '--master-secret', 'x'], ENV, /--master-secret is refused: .*SPAY_MASTER_SECRET/],
    ['SPAY_APP_SECRET unset', ORDER_ARGS, {}, /SPAY_APP_SECRET is not set/],
    ['SPAY_APP_SECRET empty', ORDER_ARGS, { SPAY_APP_SECRET: '' }, /SPAY_APP_SECRET is not set/],
    ['--title missing', ['--app-id', 'a', '--amount', '1', '--out-trade-no', '12345678'], ENV, /missing --title \(/],
    ['every option missing', [], ENV, /missing --app-id, --title, --amount, --out-trade-no/],
    ['a value missing at the end', ['--app-id'], ENV, /--app-id needs a value/],
    ['a value forgotten before the next option', ['--app-id', '--title', 't'], ENV, /--app-id needs a value/],
    ['an option given twice', [...ORDER_ARGS, '--title', 'again'], ENV, /--title is given twice/],
    ['an unknown option', [...ORDER_ARGS, '--currency', 'CNY'], ENV, /unknown option "--currency"/],
    ['a stray argument', [...ORDER_ARGS, 'extra'], ENV, /unknown argument "extra"/],
    ['a fractional amount', ['--app-id', 'a', '--title', 't', '--amount', '1.5', '--out-trade-no', '12345678'], ENV, /--amount must be a positive whole number of fen \(got "1\.5"\)/],
    ['an empty title', ['--app-id', 'a', '--title=', '--amount', '1', '--out-trade-no', '12345678'], ENV, /--title must be a non-empty string \(got ""\)/],
  ])('exits 2 on stderr naming the problem: %s', async (_case, argv, env, message) => {
    const result = await runCli(argv, env);
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(/^spay-sign: /);
    expect(result.stderr).toMatch(message);
  });

  it('never echoes the refused secret', async () => {
    const result = await runCli([...ORDER_ARGS, '--app-secret', 'hunter2-secret'], ENV);
    expect(result.stderr).not.toContain('hunter2-secret');
  });
});

describe('spay-sign verify-webhook (runCli)', () => {
  it.each([
    ['the body as sent', WEBHOOK_BODY],
    ['the body with a trailing newline', `${WEBHOOK_BODY}\n`],
  ])('prints ok and exits 0 for %s', async (_case, stdin) => {
    expect(await runCli(['verify-webhook'], ENV, stdin)).toEqual({ code: 0, stdout: 'ok\n', stderr: '' });
  });

  it.each([
    ['a tampered fee', WEBHOOK_BODY.replace('"transaction_fee":1', '"transaction_fee":100'), /signature does not match/],
    ['a fee given as a string', WEBHOOK_BODY.replace('"transaction_fee":1', '"transaction_fee":"1"'), /transaction_fee must be a whole number of fen \(got "1"\)/],
    ['invalid JSON', '{', /body must be valid JSON/],
  ])('prints the reason and exits 1 for %s', async (_case, stdin, message) => {
    const result = await runCli(['verify-webhook'], ENV, stdin);
    expect(result.code).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(message);
  });

  it.each<[string, string[], Record<string, string | undefined>, string | undefined, RegExp]>([
    ['SPAY_MASTER_SECRET unset', ['verify-webhook'], { SPAY_APP_SECRET: 'x' }, WEBHOOK_BODY, /SPAY_MASTER_SECRET is not set/],
    ['no stdin', ['verify-webhook'], ENV, undefined, /reads the webhook JSON body on stdin/],
    ['an empty stdin', ['verify-webhook'], ENV, '  \n', /reads the webhook JSON body on stdin/],
    ['an argument', ['verify-webhook', 'body.json'], ENV, WEBHOOK_BODY, /takes no arguments \(got "body\.json"\)/],
  ])('exits 2 naming the problem: %s', async (_case, argv, env, stdin, message) => {
    const result = await runCli(argv, env, stdin);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(message);
  });

  it.each<[string[], boolean]>([
    [['verify-webhook'], true],
    [['verify-webhook', '--help'], false],
    [ORDER_ARGS, false],
    [[], false],
  ])('wantsStdin(%j) is %s', (argv, expected) => {
    expect(wantsStdin(argv)).toBe(expected);
  });
});

describe('spay-sign as a process', () => {
  it('signs with the secret from the environment and verifies a webhook piped on stdin', () => {
    const root = fileURLToPath(new URL('..', import.meta.url));
    const run = (argv: string[], input?: string) =>
      spawnSync(process.execPath, ['node_modules/tsx/dist/cli.mjs', 'server-sign/cli.ts', ...argv], {
        cwd: root,
        env: { ...process.env, ...ENV },
        input,
        encoding: 'utf8',
      });

    const signed = run(ORDER_ARGS);
    expect({ status: signed.status, stdout: signed.stdout, stderr: signed.stderr }).toEqual({ status: 0, stdout: `${ORDER_SIGN}\n`, stderr: '' });

    const verified = run(['verify-webhook'], WEBHOOK_BODY);
    expect({ status: verified.status, stdout: verified.stdout }).toEqual({ status: 0, stdout: 'ok\n' });

    const refused = run([...ORDER_ARGS, '--app-secret', 'x']);
    expect(refused.status).toBe(2);
    expect(refused.stderr).toContain('--app-secret is refused');
  });
});
