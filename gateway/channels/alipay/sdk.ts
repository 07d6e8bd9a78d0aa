// Order matters: Node's fetch dispatcher is settled before alipay-sdk loads, and checked after.
import { DISPATCHER_BEFORE, DISPATCHER_KEY } from './fetch-dispatcher';
import { AlipaySdk } from 'alipay-sdk';

const global = globalThis as Record<symbol, unknown>;
// The property is writable (not configurable), so a replaced dispatcher can be put back.
if (DISPATCHER_BEFORE !== undefined && global[DISPATCHER_KEY] !== DISPATCHER_BEFORE) global[DISPATCHER_KEY] = DISPATCHER_BEFORE;

/** alipay-sdk's client class, loaded without changing the process's fetch dispatcher; the connector never calls its HTTP methods. */
export { AlipaySdk };
