// 秒支付 Button signing for Node.js 16+ (no dependencies). Copy the three exports into your server.
import { createHash, timingSafeEqual } from 'node:crypto';
import { realpathSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const md5Hex = (text) => createHash('md5').update(text, 'utf8').digest('hex');

/** Order sign 订单签名: md5(appId + title + amount + outTradeNo + appSecret), lowercase hex. */
export function signOrder(appId, title, amount, outTradeNo, appSecret) {
  // amount is in fen (分), exactly the string the page sends: "6800" for ¥68.00.
  return md5Hex(appId + title + amount + outTradeNo + appSecret);
}

/** A whole number of fen as the plain decimal string that enters the sign: 6800 -> "6800". */
export function amountString(fen) {
  // Only safe integers: String(1e21) gives "1e+21". From yuan, round: Math.round(68.1 * 100) is 6810.
  if (!Number.isSafeInteger(fen) || fen <= 0) throw new RangeError(`amount must be a positive whole number of fen, got ${fen}`);
  return String(fen);
}

/** Webhook check: true when the POSTed JSON body (string or Buffer) carries a valid `signature`. */
export function verifyWebhook(rawBody, masterSecret) {
  let hook;
  try {
    hook = JSON.parse(rawBody);
  } catch {
    return false;
  }
  const text = (name) => typeof hook?.[name] === 'string' && hook[name] !== '';
  if (!['app_id', 'transaction_id', 'transaction_type', 'channel_type', 'signature'].every(text)) return false;
  // transaction_fee is a JSON integer (fen); it enters the signature as its decimal digits.
  const fee = hook.transaction_fee;
  if (!Number.isSafeInteger(fee) || fee < 0) return false;
  const expected = md5Hex(hook.app_id + hook.transaction_id + hook.transaction_type + hook.channel_type + fee + masterSecret);
  // timingSafeEqual needs equal lengths; the gateway may send upper-case hex.
  const given = Buffer.from(hook.signature.toLowerCase(), 'utf8');
  return given.length === expected.length && timingSafeEqual(given, Buffer.from(expected, 'utf8'));
}

// Usage with Express (reply "success" so the gateway stops retrying):
//   app.post('/spay/webhook', express.raw({ type: '*/*' }), (req, res) => {
//     if (!verifyWebhook(req.body, process.env.SPAY_MASTER_SECRET)) return res.status(400).end();
//     // ...mark the order paid, once...
//     res.send('success');
//   });

// ---- Command-line self-check, not needed on your server -------------------------------------
// echo '{"op":"sign","appId":"…","title":"…","amount":"1","outTradeNo":"…","appSecret":"…"}' | node sign.mjs
// echo '{"op":"verify","body":"<raw webhook JSON>","masterSecret":"…"}' | node sign.mjs
if (process.argv[1] && realpathSync(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const chunks = [];
  for await (const chunk of process.stdin) chunks.push(chunk);
  const args = JSON.parse(Buffer.concat(chunks).toString('utf8'));
  if (args.op === 'sign') {
    console.log(signOrder(args.appId, args.title, args.amount, args.outTradeNo, args.appSecret));
  } else if (args.op === 'verify') {
    console.log(String(verifyWebhook(args.body, args.masterSecret)));
  } else {
    console.error('expected a JSON object with "op": "sign" or "verify" on stdin');
    process.exitCode = 2;
  }
}
