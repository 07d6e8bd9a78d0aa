import type { GatewayContext } from '../context';
import type { Answer } from '../http/answer';
import { okAnswer, refusal, refusalAnswer } from '../http/api-answer';
import type { GatewayRequest } from '../http/gateway-request';
import { readJsonBody } from '../http/read-json-body';
import { clientIp } from '../http/client-ip';
import { checkBillRequest } from './bill-request';
import { channelAnswer } from './channel-answer';
import { placeBill } from './place-bill';
import { buttonChannel } from './wechat-h5';

/** POST /1/pay/jsbutton/bill: checks the request and its sign, then creates or reuses the order's bill, and starts its live trade when the app has the channel live. */
export async function createBill(context: GatewayContext, request: GatewayRequest, base: string): Promise<Answer> {
  const body = await readJsonBody(request);
  if (!body.ok) return refusalAnswer(body.refusal);
  const checked = checkBillRequest(body.value, context.apps);
  if (!checked.ok) return refusalAnswer(checked.refusal);
  const channel = buttonChannel(checked.value.app, checked.value.channel, request.header('user-agent'));
  const placed = await placeBill(context.store, { ...checked.value, channel }, new Date());
  if (!placed.ok) return refusalAnswer(placed.refusal);
  const { bill } = placed;
  const connector = context.live?.connectorFor(bill, channel, base);
  if (connector !== undefined && context.live !== undefined) {
    const buyerIp = clientIp(request);
    const started = await context.live.start(context, connector, bill, channel, base, new Date(), buyerIp === undefined ? {} : { buyerIp });
    if (!started.ok) return refusalAnswer(started.refusal);
    return okAnswer(Object.assign({ id: bill.id, channel }, started.answer));
  }
  if (context.live !== undefined && bill.trades !== undefined) {
    // From a live channel to a sandbox one: the live trade is closed first.
    const retired = await context.live.retire(context, bill, new Date());
    if (retired !== null) return refusalAnswer(retired);
  }
  return okAnswer(Object.assign({ id: bill.id, channel }, channelAnswer(base, bill, channel)));
}

/** GET /1/pay/jsbutton/bill/:id: the bill's status, as the widget polls it for QR payments (a live bill is reconciled by query first). */
export async function billStatus(context: GatewayContext, id: string): Promise<Answer> {
  let bill = await context.store.getBill(id);
  if (bill === undefined) return refusalAnswer(refusal('BILL_NOT_FOUND', `bill id ${JSON.stringify(id.slice(0, 64))} names no bill`, 'id'));
  // A live bill still unpaid asks its channel now and then, in case the notify was lost.
  if (context.live !== undefined && bill.status !== 'PAID') bill = await context.live.reconcile(context, bill, new Date());
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
