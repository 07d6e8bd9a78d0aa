import { safeEqualHex } from '../../server-sign';
import type { GatewayContext } from '../context';
import type { Answer } from '../http/answer';
import { okAnswer, refusal, refusalAnswer } from '../http/api-answer';
import type { GatewayRequest } from '../http/gateway-request';
import { readJsonBody } from '../http/read-json-body';
import { abandonBill, payBill } from './settle';

const RESULTS = ['ok', 'cancel', 'fail'] as const;
const PACKAGE = /^prepay_id=([A-Za-z0-9]{1,64})$/;

/**
 * POST /sandbox/jsapi/pay `{ package, pay_sign, result }`: plays WeChat's server for the test
 * WeixinJSBridge emulation. Checks pay_sign against the bill's grant, settles the bill like the cashier, and
 * answers the err_msg WeChat would give the page.
 */
export async function payByJsapi(context: GatewayContext, request: GatewayRequest): Promise<Answer> {
  const body = await readJsonBody(request);
  if (!body.ok) return refusalAnswer(body.refusal);
  const { package: pkg, pay_sign: paySign, result } = body.value;
  if (typeof result !== 'string' || !(RESULTS as readonly string[]).includes(result)) {
    return refusalAnswer(refusal('PARAM_INVALID', `result must be one of ${RESULTS.join(', ')} (got ${JSON.stringify(result) ?? 'nothing'})`, 'result'));
  }
  const match = typeof pkg === 'string' ? PACKAGE.exec(pkg) : null;
  if (match === null) {
    return refusalAnswer(refusal('PARAM_INVALID', 'package must be "prepay_id=<id>" as the bill answer gave it', 'package'));
  }
  const bill = await context.store.findBillByPrepayId(match[1] as string);
  // A live WeChat bill's prepay id is WeChat's: only WeChat's own JSAPI pays it.
  if (bill?.jsapi === undefined || context.live?.connectorFor(bill, bill.channel) !== undefined) {
    return refusalAnswer(refusal('BILL_NOT_FOUND', 'package names no prepay id this gateway handed out', 'package'));
  }
  if (!safeEqualHex(paySign, bill.jsapi.pay_sign)) {
    return refusalAnswer(refusal('SIGN_INVALID', 'pay_sign does not match the parameters handed out for this prepay id', 'pay_sign'));
  }
  if (result === 'ok') await payBill(context, bill, new Date());
  else await abandonBill(context, bill, result === 'cancel' ? 'CANCELLED' : 'FAILED');
  return okAnswer({ err_msg: `get_brand_wcpay_request:${result}` });
}
