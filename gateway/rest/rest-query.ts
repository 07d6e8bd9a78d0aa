import type { RestChannel } from '../../src/core/channels';
import { type FieldResult, type RestFields, accept, readBool, readText, readWhole } from './rest-fields';
import { readChannelFilter } from './rest-channels';

/** The most rows one list answers (manual 4.4.1: `limit` default 10, at most 50). */
export const REST_LIST_MAX = 50;
export const REST_LIST_DEFAULT = 10;

/** The filters common to the bill and refund queries, checked. */
export interface RestFilter {
  channels?: RestChannel[];
  outTradeNo?: string;
  startTime?: Date;
  endTime?: Date;
  skip: number;
  limit: number;
  needDetail: boolean;
}

const BILL_NO = { max: 32, pattern: /^[A-Za-z0-9]{1,32}$/, describe: 'the bill_no of a bill: up to 32 letters or digits' };

/** Reads channel, bill_no, start_time, end_time (creation times in ms), skip, limit and need_detail; the first refusal wins. */
export function readRestFilter(fields: RestFields): FieldResult<RestFilter> {
  const channels = readChannelFilter(fields);
  if (!channels.ok) return channels;
  const billNo = readText(fields, 'bill_no', BILL_NO);
  if (!billNo.ok) return billNo;
  const start = readWhole(fields, 'start_time', { min: 0 });
  if (!start.ok) return start;
  const end = readWhole(fields, 'end_time', { min: 0 });
  if (!end.ok) return end;
  const skip = readWhole(fields, 'skip', { min: 0 });
  if (!skip.ok) return skip;
  const limit = readWhole(fields, 'limit', { min: 1, max: REST_LIST_MAX });
  if (!limit.ok) return limit;
  const needDetail = readBool(fields, 'need_detail');
  if (!needDetail.ok) return needDetail;
  const filter: RestFilter = { skip: skip.value ?? 0, limit: limit.value ?? REST_LIST_DEFAULT, needDetail: needDetail.value ?? false };
  if (channels.value !== undefined) filter.channels = channels.value;
  if (billNo.value !== undefined) filter.outTradeNo = billNo.value;
  if (start.value !== undefined) filter.startTime = new Date(start.value);
  if (end.value !== undefined) filter.endTime = new Date(end.value);
  return accept(filter);
}
