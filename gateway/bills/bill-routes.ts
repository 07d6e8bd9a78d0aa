import type { GatewayContext } from '../context';
import type { Answer } from '../http/answer';
import { okAnswer, refusal, refusalAnswer } from '../http/api-answer';
import type { GatewayRequest } from '../http/gateway-request';
import { readJsonBody } from '../http/read-json-body';
import { checkBillRequest } from './bill-request';
import { channelAnswer } from './channel-answer';
import { placeBill } from './place-bill';

/** POST /1/pay/jsbutton/bill: checks the request and its sign, then creates or reuses the order's bill. */
export async function createBill(context: GatewayContext, request: GatewayRequest, base: string): Promise<Answer> {
  const body = await readJsonBody(request);
  if (!body.ok) return refusalAnswer(body.refusal);
  const checked = checkBillRequest(body.value, context.apps);
  if (!checked.ok) return refusalAnswer(checked.refusal);
  const placed = await placeBill(context.store, checked.value, new Date());
  if (!placed.ok) return refusalAnswer(placed.refusal);
  const { bill } = placed;
  const channel = checked.value.channel;
  return okAnswer(Object.assign({ id: bill.id, channel }, channelAnswer(base, bill, channel)));
}

/** GET /1/pay/jsbutton/bill/:id: the bill's status, as the widget polls it for QR payments. */
export async function billStatus(context: GatewayContext, id: string): Promise<Answer> {
  const bill = await context.store.getBill(id);
  if (bill === undefined) return refusalAnswer(refusal('BILL_NOT_FOUND', `bill id ${JSON.stringify(id.slice(0, 64))} names no bill`, 'id'));
  return okAnswer({
    id: bill.id,
    pay_result: bill.status === 'PAID',
    status: bill.status,
    out_trade_no: bill.out_trade_no,
    title: bill.title,
    total_fee: bill.fee,
    channel: bill.channel,
  });
}
