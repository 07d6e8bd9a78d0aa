"""秒支付 Button signing for Python 3.7+. Paste the three functions into your server code."""
from __future__ import annotations

import hashlib
import hmac
import json


def sign_order(app_id: str, title: str, amount: str, out_trade_no: str, app_secret: str) -> str:
    """Order sign 订单签名: md5(appId + title + amount + out_trade_no + appSecret), lowercase hex.

    amount is in fen (分), exactly the string the page sends: "6800" for ¥68.00.
    """
    text = app_id + title + amount + out_trade_no + app_secret
    return hashlib.md5(text.encode("utf-8")).hexdigest()


def amount_string(fen: int) -> str:
    """A whole number of fen as the plain decimal string that enters the sign: 6800 -> "6800"."""
    # Only integers: str(68.0) gives "68.0". From yuan, use Decimal: int(Decimal("68.00") * 100).
    if isinstance(fen, bool) or not isinstance(fen, int) or fen <= 0:
        raise ValueError(f"amount must be a positive whole number of fen, got {fen!r}")
    return str(fen)


def verify_webhook(raw_body: bytes | str, master_secret: str) -> bool:
    """Webhook check: True when the POSTed JSON body carries a valid `signature`."""
    try:
        hook = json.loads(raw_body)
    except ValueError:
        return False
    if not isinstance(hook, dict):
        return False
    fields = [hook.get(name) for name in ("app_id", "transaction_id", "transaction_type", "channel_type")]
    fee, signature = hook.get("transaction_fee"), hook.get("signature")
    if not all(isinstance(value, str) and value for value in fields + [signature]):
        return False
    # transaction_fee is a JSON integer (fen); it enters the signature as its decimal digits.
    if isinstance(fee, bool) or not isinstance(fee, int) or fee < 0:
        return False
    expected = hashlib.md5(("".join(fields) + str(fee) + master_secret).encode("utf-8")).hexdigest()
    # compare_digest takes constant time (on bytes, so any text is safe); the gateway may send upper-case hex.
    return hmac.compare_digest(expected.encode(), signature.lower().encode("utf-8"))


# Usage in a webhook view (Flask shown; reply "success" so the gateway stops retrying):
#   if verify_webhook(request.get_data(), os.environ["SPAY_MASTER_SECRET"]):
#       ...mark the order paid, once...
#       return "success"

# ---- Command-line self-check, not needed on your server -------------------------------------
# echo '{"op":"sign","appId":"…","title":"…","amount":"1","outTradeNo":"…","appSecret":"…"}' | python3 sign.py
# echo '{"op":"verify","body":"<raw webhook JSON>","masterSecret":"…"}' | python3 sign.py
if __name__ == "__main__":
    import sys

    args = json.loads(sys.stdin.buffer.read().decode("utf-8"))
    if args.get("op") == "sign":
        print(sign_order(args["appId"], args["title"], args["amount"], args["outTradeNo"], args["appSecret"]))
    elif args.get("op") == "verify":
        print("true" if verify_webhook(args["body"], args["masterSecret"]) else "false")
    else:
        sys.exit('expected a JSON object with "op": "sign" or "verify" on stdin')
