<?php
// 秒支付 Button signing for PHP 5.6+ (hash_equals). Paste the three functions into your server code.
// PHP strings are bytes: keep title etc. in UTF-8. If they come from a GBK database, convert first:
//   $title = iconv('GBK', 'UTF-8', $title);

/** Order sign 订单签名: md5(appId + title + amount + out_trade_no + appSecret), lowercase hex. */
function spay_sign_order($appId, $title, $amount, $outTradeNo, $appSecret)
{
    // $amount is in fen (分), exactly the string the page sends: "6800" for ¥68.00.
    return md5($appId . $title . $amount . $outTradeNo . $appSecret);
}

/** A whole number of fen as the plain decimal string that enters the sign: 6800 -> "6800". */
function spay_amount_string($fen)
{
    // Only integers: (string) 68.0 gives "68" but (string) 1e20 gives "1.0E+20".
    if (!is_int($fen) || $fen <= 0) {
        throw new InvalidArgumentException('amount must be a positive whole number of fen');
    }
    return (string) $fen;
}

/** Webhook check: true when the POSTed JSON body carries a valid `signature`. */
function spay_verify_webhook($rawBody, $masterSecret)
{
    $hook = json_decode($rawBody, true);
    if (!is_array($hook)) {
        return false;
    }
    foreach (array('app_id', 'transaction_id', 'transaction_type', 'channel_type', 'signature') as $field) {
        if (!isset($hook[$field]) || !is_string($hook[$field]) || $hook[$field] === '') {
            return false;
        }
    }
    // transaction_fee is a JSON integer (fen); it enters the signature as its decimal digits.
    if (!isset($hook['transaction_fee']) || !is_int($hook['transaction_fee']) || $hook['transaction_fee'] < 0) {
        return false;
    }
    $expected = md5($hook['app_id'] . $hook['transaction_id'] . $hook['transaction_type']
        . $hook['channel_type'] . $hook['transaction_fee'] . $masterSecret);
    // hash_equals compares in constant time; the gateway may send upper-case hex.
    return hash_equals($expected, strtolower($hook['signature']));
}

// Usage in a webhook endpoint (reply "success" so the gateway stops retrying):
//   if (spay_verify_webhook(file_get_contents('php://input'), getenv('SPAY_MASTER_SECRET'))) {
//       // ...mark the order paid, once...
//       echo 'success';
//   }

// ---- Command-line self-check, not needed on your server -------------------------------------
// echo '{"op":"sign","appId":"…","title":"…","amount":"1","outTradeNo":"…","appSecret":"…"}' | php sign.php
// echo '{"op":"verify","body":"<raw webhook JSON>","masterSecret":"…"}' | php sign.php
if (PHP_SAPI === 'cli' && realpath($_SERVER['SCRIPT_FILENAME']) === __FILE__) {
    $in = json_decode(file_get_contents('php://stdin'), true);
    $op = is_array($in) && isset($in['op']) ? $in['op'] : null;
    if ($op === 'sign') {
        echo spay_sign_order($in['appId'], $in['title'], $in['amount'], $in['outTradeNo'], $in['appSecret']), "\n";
    } elseif ($op === 'verify') {
        echo spay_verify_webhook($in['body'], $in['masterSecret']) ? 'true' : 'false', "\n";
    } else {
        fwrite(STDERR, "expected a JSON object with \"op\": \"sign\" or \"verify\" on stdin\n");
        exit(2);
    }
}
