// 秒支付 Button signing for C# (.NET Core 2.1+, .NET 5+, Mono 6.8). Copy the Sign class into your project.
// With System.Text.Json or Newtonsoft.Json at hand, read the webhook fields with it and drop the
// small Json reader at the bottom.
using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Security.Cryptography;
using System.Text;

public static class Sign
{
    /// <summary>Order sign 订单签名: md5(appId + title + amount + outTradeNo + appSecret), lowercase hex.</summary>
    public static string SignOrder(string appId, string title, string amount, string outTradeNo, string appSecret)
    {
        // amount is in fen (分), exactly the string the page sends: "6800" for ¥68.00.
        return Md5Hex(appId + title + amount + outTradeNo + appSecret);
    }

    /// <summary>A whole number of fen as the plain decimal string that enters the sign: 6800 -> "6800".</summary>
    public static string AmountString(long fen)
    {
        // InvariantCulture: no locale may add digit grouping. From yuan: (long)(68.00m * 100) is 6800.
        if (fen <= 0) throw new ArgumentOutOfRangeException(nameof(fen), fen, "amount must be a positive whole number of fen");
        return fen.ToString(CultureInfo.InvariantCulture);
    }

    /// <summary>Webhook check: true when the POSTed JSON body carries a valid <c>signature</c>.</summary>
    public static bool VerifyWebhook(string rawBody, string masterSecret)
    {
        Dictionary<string, object> hook;
        try
        {
            hook = Json.Parse(rawBody) as Dictionary<string, object>;
        }
        catch (FormatException)
        {
            return false;
        }
        if (hook == null) return false;
        var text = new StringBuilder();
        foreach (var field in new[] { "app_id", "transaction_id", "transaction_type", "channel_type" })
        {
            object value;
            if (!hook.TryGetValue(field, out value) || !(value is string) || (string)value == "") return false;
            text.Append((string)value);
        }
        // transaction_fee is a JSON integer (fen); it enters the signature as its decimal digits.
        object fee, signature;
        if (!hook.TryGetValue("transaction_fee", out fee) || !(fee is long) || (long)fee < 0) return false;
        if (!hook.TryGetValue("signature", out signature) || !(signature is string)) return false;
        text.Append(((long)fee).ToString(CultureInfo.InvariantCulture)).Append(masterSecret);
        var expected = Encoding.UTF8.GetBytes(Md5Hex(text.ToString()));
        var given = Encoding.UTF8.GetBytes(((string)signature).ToLowerInvariant());
        // Constant time; the gateway may send upper-case hex. On .NET Framework 4.x, which lacks
        // FixedTimeEquals: equal lengths, then OR together a[i] ^ b[i] over all bytes and test for 0.
        return CryptographicOperations.FixedTimeEquals(expected, given);
    }

    static string Md5Hex(string text)
    {
        using (var md5 = MD5.Create())
        {
            var digest = md5.ComputeHash(Encoding.UTF8.GetBytes(text));
            return BitConverter.ToString(digest).Replace("-", "").ToLowerInvariant();
        }
    }

    // Usage in ASP.NET Core (reply "success" so the gateway stops retrying):
    //   var body = await new StreamReader(Request.Body, Encoding.UTF8).ReadToEndAsync();
    //   if (Sign.VerifyWebhook(body, Environment.GetEnvironmentVariable("SPAY_MASTER_SECRET")))
    //   { /* ...mark the order paid, once... */ return Content("success"); }

    /// <summary>
    /// Just enough JSON for the webhook body: objects become Dictionaries, arrays Lists, strings
    /// strings (with \uXXXX escapes), whole numbers longs, other numbers doubles. Throws FormatException.
    /// </summary>
    internal sealed class Json
    {
        readonly string s;
        int i, depth;

        Json(string s) { this.s = s; }

        public static object Parse(string text)
        {
            if (text == null) throw new FormatException("no body");
            var json = new Json(text);
            var value = json.Value();
            json.SkipSpace();
            if (json.i != text.Length) throw json.Error("unexpected text after the value");
            return value;
        }

        object Value()
        {
            SkipSpace();
            char c = Peek();
            if (c == '{' || c == '[')
            {
                if (++depth > 64) throw Error("nested too deep"); // no stack overflow from a hostile body
                object nested = c == '{' ? (object)ReadObject() : ReadArray();
                depth--;
                return nested;
            }
            if (c == '"') return ReadString();
            if (string.CompareOrdinal(s, i, "true", 0, 4) == 0) { i += 4; return true; }
            if (string.CompareOrdinal(s, i, "false", 0, 5) == 0) { i += 5; return false; }
            if (string.CompareOrdinal(s, i, "null", 0, 4) == 0) { i += 4; return null; }
            return ReadNumber();
        }

        Dictionary<string, object> ReadObject()
        {
            var map = new Dictionary<string, object>();
            i++;
            SkipSpace();
            if (Peek() == '}') { i++; return map; }
            while (true)
            {
                SkipSpace();
                if (Peek() != '"') throw Error("expected a key");
                var key = ReadString();
                SkipSpace();
                Expect(':');
                map[key] = Value();
                SkipSpace();
                if (Next() == '}') return map;
                i--;
                Expect(',');
            }
        }

        List<object> ReadArray()
        {
            var list = new List<object>();
            i++;
            SkipSpace();
            if (Peek() == ']') { i++; return list; }
            while (true)
            {
                list.Add(Value());
                SkipSpace();
                if (Next() == ']') return list;
                i--;
                Expect(',');
            }
        }

        string ReadString()
        {
            var result = new StringBuilder();
            i++;
            while (true)
            {
                char c = Next();
                if (c == '"') return result.ToString();
                if (c < 0x20) throw Error("control character in a string");
                if (c != '\\') { result.Append(c); continue; }
                char e = Next();
                switch (e)
                {
                    case '"': case '\\': case '/': result.Append(e); break;
                    case 'b': result.Append('\b'); break;
                    case 'f': result.Append('\f'); break;
                    case 'n': result.Append('\n'); break;
                    case 'r': result.Append('\r'); break;
                    case 't': result.Append('\t'); break;
                    case 'u': // one UTF-16 unit; a surrogate pair arrives as two escapes and joins up here
                        int unit = 0;
                        for (int k = 0; k < 4; k++)
                        {
                            int digit = Uri.IsHexDigit(Peek()) ? Uri.FromHex(Next()) : -1;
                            if (digit < 0) throw Error("bad \\u escape");
                            unit = unit * 16 + digit;
                        }
                        result.Append((char)unit);
                        break;
                    default: throw Error("bad escape \\" + e);
                }
            }
        }

        object ReadNumber()
        {
            int start = i;
            if (i < s.Length && s[i] == '-') i++;
            if (i < s.Length && s[i] == '0') i++;
            else if (!Digits()) throw Error("expected a value");
            bool whole = true;
            if (i < s.Length && s[i] == '.') { i++; whole = false; if (!Digits()) throw Error("bad number"); }
            if (i < s.Length && (s[i] == 'e' || s[i] == 'E'))
            {
                i++;
                whole = false;
                if (i < s.Length && (s[i] == '+' || s[i] == '-')) i++;
                if (!Digits()) throw Error("bad number");
            }
            var literal = s.Substring(start, i - start);
            long number;
            if (whole && long.TryParse(literal, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out number)) return number;
            if (whole) throw Error("whole number beyond 64 bits");
            return double.Parse(literal, CultureInfo.InvariantCulture);
        }

        bool Digits()
        {
            int start = i;
            while (i < s.Length && s[i] >= '0' && s[i] <= '9') i++;
            return i > start;
        }

        void SkipSpace()
        {
            while (i < s.Length && (s[i] == ' ' || s[i] == '\t' || s[i] == '\n' || s[i] == '\r')) i++;
        }

        char Peek()
        {
            if (i >= s.Length) throw Error("unexpected end");
            return s[i];
        }

        char Next()
        {
            char c = Peek();
            i++;
            return c;
        }

        void Expect(char c)
        {
            if (Next() != c) throw Error("expected '" + c + "'");
        }

        FormatException Error(string what)
        {
            return new FormatException(what + " at offset " + i);
        }
    }
}

// ---- Command-line self-check, not needed on your server -----------------------------------------
// mcs -out:Sign.exe Sign.cs
// echo '{"op":"sign","appId":"…","title":"…","amount":"1","outTradeNo":"…","appSecret":"…"}' | mono Sign.exe
// echo '{"op":"verify","body":"<raw webhook JSON>","masterSecret":"…"}' | mono Sign.exe
static class SelfCheck
{
    static int Main()
    {
        var stdin = new StreamReader(Console.OpenStandardInput(), new UTF8Encoding(false)).ReadToEnd();
        var args = (Dictionary<string, object>)Sign.Json.Parse(stdin);
        object op;
        args.TryGetValue("op", out op);
        if ("sign".Equals(op))
        {
            Console.WriteLine(Sign.SignOrder((string)args["appId"], (string)args["title"], (string)args["amount"],
                (string)args["outTradeNo"], (string)args["appSecret"]));
        }
        else if ("verify".Equals(op))
        {
            Console.WriteLine(Sign.VerifyWebhook((string)args["body"], (string)args["masterSecret"]) ? "true" : "false");
        }
        else
        {
            Console.Error.WriteLine("expected a JSON object with \"op\": \"sign\" or \"verify\" on stdin");
            return 2;
        }
        return 0;
    }
}
