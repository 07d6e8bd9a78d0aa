import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureSnippetRuntimes, findCommand } from '../../scripts/snippet-runtimes.mjs';
import { signOrder, type OrderSignInput } from '../../server-sign/sign';
import { signLegacyWebhook, signWebhook, verifyWebhook, type WebhookBody } from '../../server-sign/webhook';

// Runs every merchant snippet in docs/snippets/ on shared vectors and holds its output to
// server-sign's. A language whose runtime is missing is skipped, never installed here:
// scripts/snippet-runtimes.mjs installs them before the suite when asked to.

const DIR = fileURLToPath(new URL('.', import.meta.url));
const runtimes: Record<string, string | null> = ensureSnippetRuntimes({ install: false, log: () => {} });

/** Runs one command with `input` on stdin; resolves to its trimmed stdout, rejects with its stderr. */
function run(command: string, args: string[], input = '', env: NodeJS.ProcessEnv = process.env): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: DIR, env, timeout: 15_000 });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (chunk: Buffer) => out.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => err.push(chunk));
    child.on('error', reject);
    child.on('close', (code) => {
      const stderr = Buffer.concat(err).toString('utf8');
      if (code === 0) resolve(Buffer.concat(out).toString('utf8').trim());
      else reject(new Error(`expected ${command} ${args.join(' ')} to exit 0, got ${code}: ${stderr}`));
    });
    // A program that exits without reading stdin must fail on its exit code, not on EPIPE.
    child.stdin.on('error', () => {});
    child.stdin.end(input, 'utf8');
  });
}

// Go needs a build cache; HOME may be unset under a test runner.
const GO_ENV = { ...process.env, GOCACHE: process.env.GOCACHE ?? join(tmpdir(), 'spay-snippets-go-cache'), GOTOOLCHAIN: 'local' };

interface Snippet {
  language: string;
  file: string;
  /** What must be on $PATH, named in the skip reason. */
  needs: string;
  /** Compiles into `out` when the language needs it, and returns the command that runs the snippet. */
  prepare: (runtime: string, out: string) => Promise<[string, string[], NodeJS.ProcessEnv?]>;
}

const SNIPPETS: Snippet[] = [
  { language: 'php', file: 'sign.php', needs: 'php', prepare: async (php) => [php, ['sign.php']] },
  {
    language: 'python',
    file: 'sign.py',
    needs: 'python3',
    // The interpreter itself: a version manager's shim (pyenv) costs a shell start per run.
    prepare: async (python) => [await run(python, ['-c', 'import sys; print(sys.executable)']), ['sign.py']],
  },
  {
    language: 'java',
    file: 'Sign.java',
    needs: 'java and javac',
    prepare: async (java, out) => {
      await run(findCommand('javac')!, ['-d', out, 'Sign.java']);
      return [java, ['-XX:TieredStopAtLevel=1', '-cp', out, 'Sign']];
    },
  },
  {
    language: 'go',
    file: 'sign.go',
    needs: 'go',
    prepare: async (go, out) => {
      await run(go, ['build', '-o', join(out, 'sign'), 'sign.go'], '', GO_ENV);
      return [join(out, 'sign'), []];
    },
  },
  {
    language: 'csharp',
    file: 'Sign.cs',
    needs: 'mono and mcs',
    prepare: async (mono, out) => {
      await run(findCommand('mcs')!, [`-out:${join(out, 'Sign.exe')}`, 'Sign.cs']);
      return [mono, [join(out, 'Sign.exe')]];
    },
  },
  { language: 'ruby', file: 'sign.rb', needs: 'ruby', prepare: async (ruby) => [ruby, ['sign.rb']] },
  { language: 'node', file: 'sign.mjs', needs: 'node', prepare: async (node) => [node, ['sign.mjs']] },
];

const order = (title: string, amount: string, extra: Partial<OrderSignInput> = {}): OrderSignInput => ({
  appId: '7e3a9c52-1b4f-4d0e-9a61-3c2f8b5d0e17',
  title,
  amount,
  outTradeNo: '201601011234',
  appSecret: '4b8e2f61-93c7-4a5d-b0e2-6f1c9d7a3e58',
  ...extra,
});

const ORDER_VECTORS: Array<[string, OrderSignInput]> = [
  ['an ASCII title', order('Mineral water', '1')],
  ['a Chinese title', order('白开水', '1')],
  ['a mixed Chinese and ASCII title with spaces', order('云南 coffee 豆子', '100')],
  ['an emoji title', order('🍵 tea 😀', '6800')],
  ['quotes, a backslash and a newline in the title', order('say "hi" \\ then\nbye', '100')],
  ['a 32-character out_trade_no', order('白开水', '6800', { outTradeNo: 'A1b2C3d4E5f6G7h8I9j0K1l2M3n4O5p6' })],
  ['a non-ASCII app secret', order('water', '1', { appSecret: '密钥-ß-é' })],
];

const MASTER_SECRET = '7c0e2c8c-6d57-4d5e-9a3a-f6b3e0b0d1aa';

function webhook(change: Partial<WebhookBody> = {}, masterSecret = MASTER_SECRET): WebhookBody {
  const fields = {
    app_id: '7e3a9c52-1b4f-4d0e-9a61-3c2f8b5d0e17',
    channel_type: 'ALI',
    sub_channel_type: 'ALI_WEB',
    transaction_type: 'PAY',
    transaction_id: '201601011234',
    transaction_fee: 6800,
    trade_success: true,
    // Nested values with braces, quotes and escapes, which a field reader must step over.
    message_detail: { trade_no: '2016010121001004', buyer: { note: 'a "}" and a \\ inside' }, items: [1, 2.5, null, false, ['{']] },
    optional: { order_note: '白开水 🍵' },
    timestamp: 1_451_606_400_000,
    ...change,
  };
  return {
    ...fields,
    signature: signWebhook(fields, masterSecret),
    sign: signLegacyWebhook(fields.app_id, 'app-secret', fields.timestamp),
  };
}

/** JSON with every non-ASCII character as \uXXXX escapes (a surrogate pair for emoji), as some servers send it. */
const asciiJson = (value: unknown): string =>
  JSON.stringify(value).replace(/[\u0080-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);

const SIGNED = webhook();
const WEBHOOK_CASES: Array<[string, string, string, boolean]> = [
  ['a body signed by the gateway', JSON.stringify(SIGNED), MASTER_SECRET, true],
  ['an upper-case signature', JSON.stringify({ ...SIGNED, signature: SIGNED.signature.toUpperCase() }), MASTER_SECRET, true],
  ['Chinese fields and an emoji secret', JSON.stringify(webhook({ app_id: '应用', transaction_id: '订单-1' }, '主密钥🔑')), '主密钥🔑', true],
  ['the same with \\uXXXX escapes', asciiJson(webhook({ app_id: '应用', transaction_id: '订单-1' }, '主密钥🔑')), '主密钥🔑', true],
  ['a zero fee', JSON.stringify(webhook({ transaction_fee: 0 })), MASTER_SECRET, true],
  ['the largest safe integer fee', JSON.stringify(webhook({ transaction_fee: Number.MAX_SAFE_INTEGER })), MASTER_SECRET, true],
  ['a tampered transaction_fee', JSON.stringify({ ...SIGNED, transaction_fee: 6801 }), MASTER_SECRET, false],
  ['a tampered transaction_id', JSON.stringify({ ...SIGNED, transaction_id: '201601011235' }), MASTER_SECRET, false],
  ['another master secret', JSON.stringify(SIGNED), 'not-the-master-secret', false],
  ['a fee sent as a string', JSON.stringify({ ...SIGNED, transaction_fee: '6800' }), MASTER_SECRET, false],
  ['a fractional fee', JSON.stringify(SIGNED).replace('"transaction_fee":6800', '"transaction_fee":6800.5'), MASTER_SECRET, false],
  ['no signature', JSON.stringify({ ...SIGNED, signature: undefined }), MASTER_SECRET, false],
  ['a body that is not JSON', `${JSON.stringify(SIGNED)}}`, MASTER_SECRET, false],
];

it.each(WEBHOOK_CASES)('server-sign agrees with the table for %s', (_case, body, masterSecret, expected) => {
  expect(verifyWebhook(body, masterSecret).ok).toBe(expected);
});

for (const snippet of SNIPPETS) {
  const runtime = runtimes[snippet.language] ?? null;
  const title = `${snippet.language} snippet ${snippet.file}`;

  describe.skipIf(!runtime)(runtime ? title : `${title} (skipped: ${snippet.needs} not on PATH)`, () => {
    let out = '';
    let command: [string, string[], NodeJS.ProcessEnv?];
    const runSnippet = (input: object) => run(command[0], command[1], JSON.stringify(input), command[2]);

    beforeAll(async () => {
      out = mkdtempSync(join(tmpdir(), `spay-snippet-${snippet.language}-`));
      command = await snippet.prepare(runtime!, out);
    }, 60_000);
    afterAll(() => rmSync(out, { recursive: true, force: true }));

    it.each(ORDER_VECTORS)('signs an order with %s as server-sign does', async (_case, input) => {
      expect(await runSnippet({ op: 'sign', ...input })).toBe(signOrder(input));
    });

    it.each(WEBHOOK_CASES)('verifies a webhook with %s', async (_case, body, masterSecret, expected) => {
      expect(await runSnippet({ op: 'verify', body, masterSecret })).toBe(String(expected));
    });
  });
}

describe.skipIf(!runtimes.java)('java snippet Sign.java as a single source file', () => {
  it('runs with `java Sign.java`', async () => {
    const input = order('白开水', '1');
    expect(await run(runtimes.java!, ['Sign.java'], JSON.stringify({ op: 'sign', ...input }))).toBe(signOrder(input));
  });
});
