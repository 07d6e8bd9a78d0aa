// 秒支付 Button signing for Java 8+ (JDK only). Copy the methods of this class into your server code.
// If your project already has a JSON library (Jackson, Gson), read the webhook fields with it and
// drop the small Json reader at the bottom.
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

public class Sign {

    /** Order sign 订单签名: md5(appId + title + amount + outTradeNo + appSecret), lowercase hex. */
    public static String signOrder(String appId, String title, String amount, String outTradeNo, String appSecret) {
        // amount is in fen (分), exactly the string the page sends: "6800" for ¥68.00.
        return md5Hex(appId + title + amount + outTradeNo + appSecret);
    }

    /** A whole number of fen as the plain decimal string that enters the sign: 6800 -> "6800". */
    public static String amountString(long fen) {
        // From yuan, use BigDecimal: new BigDecimal("68.00").movePointRight(2).longValueExact() is 6800.
        if (fen <= 0) throw new IllegalArgumentException("amount must be a positive whole number of fen, got " + fen);
        return Long.toString(fen);
    }

    /** Webhook check: true when the POSTed JSON body carries a valid {@code signature}. */
    public static boolean verifyWebhook(String rawBody, String masterSecret) {
        Map<?, ?> hook;
        try {
            Object parsed = Json.parse(rawBody);
            if (!(parsed instanceof Map)) return false;
            hook = (Map<?, ?>) parsed;
        } catch (IllegalArgumentException notJson) {
            return false;
        }
        StringBuilder text = new StringBuilder();
        for (String field : new String[] {"app_id", "transaction_id", "transaction_type", "channel_type"}) {
            Object value = hook.get(field);
            if (!(value instanceof String) || ((String) value).isEmpty()) return false;
            text.append(value);
        }
        // transaction_fee is a JSON integer (fen); it enters the signature as its decimal digits.
        Object fee = hook.get("transaction_fee");
        Object signature = hook.get("signature");
        if (!(fee instanceof Long) || (Long) fee < 0 || !(signature instanceof String)) return false;
        String expected = md5Hex(text.append(fee).append(masterSecret).toString());
        // MessageDigest.isEqual takes constant time; the gateway may send upper-case hex.
        byte[] given = ((String) signature).toLowerCase(Locale.ROOT).getBytes(StandardCharsets.UTF_8);
        return MessageDigest.isEqual(expected.getBytes(StandardCharsets.UTF_8), given);
    }

    static String md5Hex(String text) {
        try {
            byte[] digest = MessageDigest.getInstance("MD5").digest(text.getBytes(StandardCharsets.UTF_8));
            return String.format("%032x", new BigInteger(1, digest));
        } catch (NoSuchAlgorithmException impossible) {
            throw new IllegalStateException(impossible); // every JVM ships MD5
        }
    }

    /** Reads a request body as UTF-8; request.getReader() would assume ISO-8859-1 when the Content-Type names no charset. */
    public static String readUtf8(InputStream in) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        byte[] buffer = new byte[8192];
        for (int n; (n = in.read(buffer)) > 0; ) bytes.write(buffer, 0, n);
        return new String(bytes.toByteArray(), StandardCharsets.UTF_8);
    }

    // Usage in a servlet (reply "success" so the gateway stops retrying):
    //   if (Sign.verifyWebhook(Sign.readUtf8(request.getInputStream()), System.getenv("SPAY_MASTER_SECRET"))) {
    //       // ...mark the order paid, once...
    //       response.getWriter().write("success");
    //   }

    /**
     * Just enough JSON for the webhook body: objects become Maps, arrays Lists, strings Strings
     * (with \\uXXXX escapes), whole numbers Longs, other numbers Doubles. Throws IllegalArgumentException.
     */
    static final class Json {
        private final String s;
        private int i;
        private int depth;

        private Json(String s) {
            this.s = s;
        }

        static Object parse(String text) {
            Json json = new Json(text);
            Object value = json.value();
            json.skipSpace();
            if (json.i != text.length()) throw json.error("unexpected text after the value");
            return value;
        }

        private Object value() {
            skipSpace();
            char c = peek();
            if (c == '{' || c == '[') {
                if (++depth > 64) throw error("nested too deep"); // no StackOverflowError from a hostile body
                Object nested = c == '{' ? object() : array();
                depth--;
                return nested;
            }
            if (c == '"') return string();
            if (s.startsWith("true", i)) return literal(4, Boolean.TRUE);
            if (s.startsWith("false", i)) return literal(5, Boolean.FALSE);
            if (s.startsWith("null", i)) return literal(4, null);
            return number();
        }

        private Map<String, Object> object() {
            Map<String, Object> map = new HashMap<>();
            i++;
            skipSpace();
            if (peek() == '}') { i++; return map; }
            while (true) {
                skipSpace();
                if (peek() != '"') throw error("expected a key");
                String key = string();
                skipSpace();
                expect(':');
                map.put(key, value());
                skipSpace();
                if (next() == '}') return map;
                i--;
                expect(',');
            }
        }

        private List<Object> array() {
            List<Object> list = new ArrayList<>();
            i++;
            skipSpace();
            if (peek() == ']') { i++; return list; }
            while (true) {
                list.add(value());
                skipSpace();
                if (next() == ']') return list;
                i--;
                expect(',');
            }
        }

        private String string() {
            StringBuilder out = new StringBuilder();
            i++;
            while (true) {
                char c = next();
                if (c == '"') return out.toString();
                if (c < 0x20) throw error("control character in a string");
                if (c != '\\') { out.append(c); continue; }
                char e = next();
                switch (e) {
                    case '"': case '\\': case '/': out.append(e); break;
                    case 'b': out.append('\b'); break;
                    case 'f': out.append('\f'); break;
                    case 'n': out.append('\n'); break;
                    case 'r': out.append('\r'); break;
                    case 't': out.append('\t'); break;
                    case 'u': // one UTF-16 unit; a surrogate pair arrives as two escapes and joins up here
                        int unit = 0;
                        for (int k = 0; k < 4; k++) {
                            int digit = Character.digit(next(), 16);
                            if (digit < 0) throw error("bad \\u escape");
                            unit = unit * 16 + digit;
                        }
                        out.append((char) unit);
                        break;
                    default: throw error("bad escape \\" + e);
                }
            }
        }

        private Object number() {
            int start = i;
            if (i < s.length() && s.charAt(i) == '-') i++;
            if (i < s.length() && s.charAt(i) == '0') i++;
            else if (!digits()) throw error("expected a value");
            boolean whole = true;
            if (i < s.length() && s.charAt(i) == '.') { i++; whole = false; if (!digits()) throw error("bad number"); }
            if (i < s.length() && (s.charAt(i) == 'e' || s.charAt(i) == 'E')) {
                i++;
                whole = false;
                if (i < s.length() && (s.charAt(i) == '+' || s.charAt(i) == '-')) i++;
                if (!digits()) throw error("bad number");
            }
            String literal = s.substring(start, i);
            // Long.valueOf throws NumberFormatException, an IllegalArgumentException, beyond 64 bits.
            return whole ? (Object) Long.valueOf(literal) : (Object) Double.valueOf(literal);
        }

        private boolean digits() {
            int start = i;
            while (i < s.length() && s.charAt(i) >= '0' && s.charAt(i) <= '9') i++;
            return i > start;
        }

        private Object literal(int length, Object value) {
            i += length;
            return value;
        }

        private void skipSpace() {
            while (i < s.length() && (s.charAt(i) == ' ' || s.charAt(i) == '\t' || s.charAt(i) == '\n' || s.charAt(i) == '\r')) i++;
        }

        private char peek() {
            if (i >= s.length()) throw error("unexpected end");
            return s.charAt(i);
        }

        private char next() {
            char c = peek();
            i++;
            return c;
        }

        private void expect(char c) {
            if (next() != c) throw error("expected '" + c + "'");
        }

        private IllegalArgumentException error(String what) {
            return new IllegalArgumentException(what + " at offset " + i);
        }
    }

    // ---- Command-line self-check, not needed on your server -----------------------------------
    // echo '{"op":"sign","appId":"…","title":"…","amount":"1","outTradeNo":"…","appSecret":"…"}' | java Sign.java
    // echo '{"op":"verify","body":"<raw webhook JSON>","masterSecret":"…"}' | java Sign.java
    public static void main(String[] argv) throws IOException {
        Map<?, ?> args = (Map<?, ?>) Json.parse(readUtf8(System.in));
        Object op = args.get("op");
        if ("sign".equals(op)) {
            System.out.println(signOrder((String) args.get("appId"), (String) args.get("title"), (String) args.get("amount"),
                    (String) args.get("outTradeNo"), (String) args.get("appSecret")));
        } else if ("verify".equals(op)) {
            System.out.println(verifyWebhook((String) args.get("body"), (String) args.get("masterSecret")));
        } else {
            System.err.println("expected a JSON object with \"op\": \"sign\" or \"verify\" on stdin");
            System.exit(2);
        }
    }

}
