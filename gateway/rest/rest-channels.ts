import { REST_CHANNELS, type RestChannel, channelFamily } from '../../src/core/channels';
import { describeValue } from '../../src/core/describe-value';
import { type FieldResult, type RestFields, accept, refuseField } from './rest-fields';

// Every channel name the manual's query APIs (4.4.1-4.4.4) accept; those the gateway cannot make bills on match none.
const QUERY_CHANNEL_NAMES: readonly string[] = [
  'WX', 'WX_APP', 'WX_NATIVE', 'WX_JSAPI', 'WX_SCAN', 'ALI', 'ALI_APP', 'ALI_WEB', 'ALI_QRCODE', 'ALI_WAP', 'ALI_SCAN',
  'ALI_OFFLINE_QRCODE', 'UN', 'UN_APP', 'UN_WEB', 'UN_WAP', 'PAYPAL', 'PAYPAL_SANDBOX', 'PAYPAL_LIVE', 'JD', 'JD_WAP',
  'JD_WEB', 'YEE', 'YEE_WAP', 'YEE_WEB', 'YEE_NOBANKCARD', 'KUAIQIAN', 'KUAIQIAN_WAP', 'KUAIQIAN_WEB', 'BD', 'BD_APP',
  'BD_WEB', 'BD_WAP', 'BC', 'BC_GATEWAY', 'BC_EXPRESS', 'BC_APP', 'BC_NATIVE', 'BC_WX_WAP', 'BC_WX_JSAPI', 'BC_ALI_QRCODE',
  'BC_ALI_APP', 'BC_ALI_WEB', 'BC_ALI_WAP',
];

/**
 * The `channel` filter of a query: a family (WX, ALI, UN, JD, BD, YEE, BC) stands for its sub-channels, a sub-channel
 * for itself; absent is no filter (undefined). A channel the manual names but the gateway never bills on matches nothing.
 */
export function readChannelFilter(fields: RestFields): FieldResult<RestChannel[] | undefined> {
  const value = fields.channel;
  if (value === undefined || value === null || value === '') return accept(undefined);
  if (typeof value !== 'string' || !QUERY_CHANNEL_NAMES.includes(value)) {
    const rule = 'channel must be a channel family (WX, ALI, UN, JD, BD, YEE, BC) or a sub-channel such as ALI_WEB';
    return refuseField('CHANNEL_INVALID', `${rule} (got ${describeValue(value)})`, 'channel');
  }
  return accept(REST_CHANNELS.filter((channel) => channel === value || channelFamily(channel) === value));
}
