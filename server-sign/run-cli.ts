import { isSignInputError } from './sign-input-error';
import { signOrder, type OrderSignInput } from './sign';
import { verifyWebhook } from './webhook';

/** What a CLI run produced: the exit code and everything written to stdout and stderr. */
export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

type SignField = Exclude<keyof OrderSignInput, 'appSecret'>;

/** The order options, in the order of the sign; each maps to its OrderSignInput field. */
const ORDER_OPTIONS: ReadonlyArray<readonly [option: string, field: SignField]> = [
  ['--app-id', 'appId'],
  ['--title', 'title'],
  ['--amount', 'amount'],
  ['--out-trade-no', 'outTradeNo'],
];
const SECRET_OPTIONS = ['--app-secret', '--master-secret', '--secret'];
const VERIFY_WEBHOOK = 'verify-webhook';

/** The text `spay-sign --help` prints. */
export const USAGE = `Usage:
  spay-sign --app-id ID --title TITLE --amount FEN --out-trade-no NO
      Prints the order sign, md5(app_id + title + amount + out_trade_no + app_secret).
      Give title and amount exactly as the page sends them. The app secret is read
      from the environment variable SPAY_APP_SECRET, never from an argument.

  spay-sign verify-webhook < body.json
      Reads a webhook JSON body on stdin and checks its signature with the master
      secret from SPAY_MASTER_SECRET. Prints "ok" (exit 0) or the reason (exit 1).

  spay-sign --help
      Prints this text.

Options also take the form --option=value. Exit codes: 0 done, 1 webhook not
verified, 2 usage error.
`;

const done = (stdout: string): CliResult => ({ code: 0, stdout, stderr: '' });
const usageError = (message: string): CliResult => ({ code: 2, stdout: '', stderr: `spay-sign: ${message}\n` });

/** True when this argv makes runCli read stdin, so that a caller reads it only then (a terminal would otherwise wait). */
export function wantsStdin(argv: readonly string[]): boolean {
  return argv[0] === VERIFY_WEBHOOK && !argv.some(isHelp);
}

/** Runs the spay-sign CLI on the given arguments, environment and stdin text, without touching the process. */
export async function runCli(
  argv: string[],
  env: Record<string, string | undefined>,
  stdin?: string,
): Promise<CliResult> {
  const secretOption = argv.find((arg) => SECRET_OPTIONS.includes(arg.split('=')[0] ?? ''));
  if (secretOption !== undefined) {
    const name = secretOption.split('=')[0];
    const variable = name === '--master-secret' ? 'SPAY_MASTER_SECRET' : 'SPAY_APP_SECRET';
    return usageError(
      `${name} is refused: a secret given as an argument lands in shell history and in the process list. ` +
        `Set ${variable} in the environment instead.`,
    );
  }
  if (argv.some(isHelp)) return done(USAGE);
  return argv[0] === VERIFY_WEBHOOK ? runVerifyWebhook(argv.slice(1), env, stdin) : runSignOrder(argv, env);
}

function isHelp(arg: string): boolean {
  return arg === '--help' || arg === '-h';
}

function runSignOrder(argv: string[], env: Record<string, string | undefined>): CliResult {
  const values = new Map<string, string>();
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] ?? '';
    const equals = arg.indexOf('=');
    const option = equals === -1 ? arg : arg.slice(0, equals);
    if (!ORDER_OPTIONS.some(([known]) => known === option)) {
      return usageError(`unknown ${arg.startsWith('-') ? 'option' : 'argument'} ${JSON.stringify(option)} (see spay-sign --help)`);
    }
    if (values.has(option)) return usageError(`${option} is given twice`);
    let value: string | undefined;
    if (equals === -1) {
      value = argv[i + 1];
      // A following option means the value was forgotten; a value that starts with "--" can use --option=value.
      if (value === undefined || value.startsWith('--')) return usageError(`${option} needs a value`);
      i++;
    } else {
      value = arg.slice(equals + 1);
    }
    values.set(option, value);
  }

  const missing = ORDER_OPTIONS.map(([option]) => option).filter((option) => !values.has(option));
  if (missing.length > 0) return usageError(`missing ${missing.join(', ')} (see spay-sign --help)`);
  const appSecret = env.SPAY_APP_SECRET;
  if (!appSecret) return usageError('SPAY_APP_SECRET is not set: put the app secret in that environment variable');

  const input: OrderSignInput = { appId: '', title: '', amount: '', outTradeNo: '', appSecret };
  for (const [option, field] of ORDER_OPTIONS) input[field] = values.get(option) ?? '';
  try {
    return done(`${signOrder(input)}\n`);
  } catch (error) {
    if (!isSignInputError(error)) throw error;
    const option = ORDER_OPTIONS.find(([, field]) => field === error.field)?.[0] ?? error.field;
    return usageError(`${option} ${error.rule} (got ${error.given})`);
  }
}

function runVerifyWebhook(argv: string[], env: Record<string, string | undefined>, stdin: string | undefined): CliResult {
  if (argv.length > 0) return usageError(`${VERIFY_WEBHOOK} takes no arguments (got ${JSON.stringify(argv[0])}); pipe the body on stdin`);
  const masterSecret = env.SPAY_MASTER_SECRET;
  if (!masterSecret) return usageError('SPAY_MASTER_SECRET is not set: put the master secret in that environment variable');
  if (stdin === undefined || stdin.trim() === '') {
    return usageError(`${VERIFY_WEBHOOK} reads the webhook JSON body on stdin, and none was given`);
  }
  const result = verifyWebhook(stdin, masterSecret);
  return result.ok ? done('ok\n') : { code: 1, stdout: '', stderr: `spay-sign: ${result.error}\n` };
}
