# 秒支付 Button signing for Ruby 3.0+ (standard library only). Paste the module into your app.
require 'digest/md5'
require 'json'
require 'openssl'

module SpaySign
  module_function

  # Order sign 订单签名: md5(appId + title + amount + out_trade_no + appSecret), lowercase hex.
  # amount is in fen (分), exactly the string the page sends: "6800" for ¥68.00.
  def sign_order(app_id, title, amount, out_trade_no, app_secret)
    md5_hex(app_id + title + amount + out_trade_no + app_secret)
  end

  # A whole number of fen as the plain decimal string that enters the sign: 6800 -> "6800".
  def amount_string(fen)
    # Only integers: 68.0.to_s gives "68.0". From yuan, use BigDecimal('68.00') * 100.
    raise ArgumentError, "amount must be a positive whole number of fen, got #{fen.inspect}" unless fen.is_a?(Integer) && fen.positive?

    fen.to_s
  end

  # Webhook check: true when the POSTed JSON body carries a valid `signature`.
  def verify_webhook(raw_body, master_secret)
    hook = JSON.parse(raw_body.dup.force_encoding(Encoding::UTF_8))
    return false unless hook.is_a?(Hash)

    fields = hook.values_at('app_id', 'transaction_id', 'transaction_type', 'channel_type', 'signature')
    return false unless fields.all? { |value| value.is_a?(String) && !value.empty? }

    # transaction_fee is a JSON integer (fen); it enters the signature as its decimal digits.
    fee = hook['transaction_fee']
    return false unless fee.is_a?(Integer) && fee >= 0

    *parts, signature = fields
    secure_compare(md5_hex(parts.join + fee.to_s + master_secret), signature.downcase(:ascii))
  rescue JSON::ParserError
    false
  end

  def md5_hex(text)
    # Digest hashes bytes; encode so that text read as another encoding (e.g. GBK) hashes as UTF-8.
    Digest::MD5.hexdigest(text.encode(Encoding::UTF_8))
  end

  # Constant-time compare; fixed_length_secure_compare raises on different lengths, so check those first.
  def secure_compare(a, b)
    a.bytesize == b.bytesize && OpenSSL.fixed_length_secure_compare(a, b)
  end
end

# Usage in a Rails controller (reply "success" so the gateway stops retrying):
#   if SpaySign.verify_webhook(request.raw_post, ENV.fetch('SPAY_MASTER_SECRET'))
#     # ...mark the order paid, once...
#     render plain: 'success'
#   end

# ---- Command-line self-check, not needed on your server -------------------------------------
# echo '{"op":"sign","appId":"…","title":"…","amount":"1","outTradeNo":"…","appSecret":"…"}' | ruby sign.rb
# echo '{"op":"verify","body":"<raw webhook JSON>","masterSecret":"…"}' | ruby sign.rb
if $PROGRAM_NAME == __FILE__
  args = JSON.parse($stdin.binmode.read.force_encoding(Encoding::UTF_8))
  case args['op']
  when 'sign' then puts SpaySign.sign_order(*args.values_at('appId', 'title', 'amount', 'outTradeNo', 'appSecret'))
  when 'verify' then puts SpaySign.verify_webhook(args['body'], args['masterSecret'])
  else abort 'expected a JSON object with "op": "sign" or "verify" on stdin'
  end
end
