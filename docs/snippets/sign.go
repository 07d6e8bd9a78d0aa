// 秒支付 Button signing for Go (standard library only). Copy SignOrder, AmountString and
// VerifyWebhook into your own package; Go strings hold UTF-8 bytes already.
package main

import (
	"crypto/md5"
	"crypto/subtle"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
)

// SignOrder returns the order sign 订单签名: md5(appId + title + amount + outTradeNo + appSecret), lowercase hex.
// amount is in fen (分), exactly the string the page sends: "6800" for ¥68.00.
func SignOrder(appID, title, amount, outTradeNo, appSecret string) string {
	return md5Hex(appID + title + amount + outTradeNo + appSecret)
}

// AmountString turns a whole number of fen into the plain decimal string that enters the sign: 6800 -> "6800".
func AmountString(fen int64) (string, error) {
	if fen <= 0 {
		return "", fmt.Errorf("amount must be a positive whole number of fen, got %d", fen)
	}
	return strconv.FormatInt(fen, 10), nil
}

// webhook holds the fields of the POSTed JSON body that enter its signature.
type webhook struct {
	AppID           string `json:"app_id"`
	TransactionID   string `json:"transaction_id"`
	TransactionType string `json:"transaction_type"`
	ChannelType     string `json:"channel_type"`
	TransactionFee  *int64 `json:"transaction_fee"` // a JSON integer (fen); a pointer so a missing fee is caught
	Signature       string `json:"signature"`
}

// VerifyWebhook reports whether the raw webhook body carries a valid signature:
// md5(app_id + transaction_id + transaction_type + channel_type + transaction_fee + master_secret).
func VerifyWebhook(rawBody []byte, masterSecret string) bool {
	var hook webhook
	// Unmarshal rejects a fractional or quoted transaction_fee, so it is a whole number here.
	if err := json.Unmarshal(rawBody, &hook); err != nil {
		return false
	}
	if hook.AppID == "" || hook.TransactionID == "" || hook.TransactionType == "" || hook.ChannelType == "" ||
		hook.Signature == "" || hook.TransactionFee == nil || *hook.TransactionFee < 0 {
		return false
	}
	expected := md5Hex(hook.AppID + hook.TransactionID + hook.TransactionType + hook.ChannelType +
		strconv.FormatInt(*hook.TransactionFee, 10) + masterSecret)
	// Constant-time compare; the gateway may send upper-case hex.
	return subtle.ConstantTimeCompare([]byte(expected), []byte(strings.ToLower(hook.Signature))) == 1
}

func md5Hex(text string) string {
	sum := md5.Sum([]byte(text))
	return hex.EncodeToString(sum[:])
}

// Usage in a handler (reply "success" so the gateway stops retrying):
//   body, _ := io.ReadAll(r.Body)
//   if VerifyWebhook(body, os.Getenv("SPAY_MASTER_SECRET")) { /* mark the order paid, once */ w.Write([]byte("success")) }

// ---- Command-line self-check, not needed on your server -------------------------------------
// echo '{"op":"sign","appId":"…","title":"…","amount":"1","outTradeNo":"…","appSecret":"…"}' | go run sign.go
// echo '{"op":"verify","body":"<raw webhook JSON>","masterSecret":"…"}' | go run sign.go
func main() {
	var args struct {
		Op, AppID, Title, Amount, OutTradeNo, AppSecret, Body, MasterSecret string
	}
	input, err := io.ReadAll(os.Stdin)
	if err == nil {
		err = json.Unmarshal(input, &args)
	}
	switch {
	case err != nil:
		fmt.Fprintln(os.Stderr, "expected a JSON object on stdin:", err)
		os.Exit(2)
	case args.Op == "sign":
		fmt.Println(SignOrder(args.AppID, args.Title, args.Amount, args.OutTradeNo, args.AppSecret))
	case args.Op == "verify":
		fmt.Println(VerifyWebhook([]byte(args.Body), args.MasterSecret))
	default:
		fmt.Fprintln(os.Stderr, `expected "op": "sign" or "verify"`)
		os.Exit(2)
	}
}
