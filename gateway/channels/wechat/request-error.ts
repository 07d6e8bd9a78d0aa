import { ChannelError } from '../connector';

/**
 * WeChat Pay refused a request: `channelCode` is WeChat's `code`; `verified` says whether the answer carried a valid
 * signature, the only case where the connector acts on the code (ORDERPAID, ORDER_NOT_EXIST) rather than report it.
 */
export class WechatRequestError extends ChannelError {
  readonly status: number;
  readonly verified: boolean;
  constructor(channelCode: string, message: string, status: number, verified: boolean) {
    super(channelCode, message);
    this.name = 'WechatRequestError';
    this.status = status;
    this.verified = verified;
  }
}

/** Whether `error` is WeChat's verified refusal with one of `codes`. */
export function isVerifiedRefusal(error: unknown, ...codes: string[]): error is WechatRequestError {
  return error instanceof WechatRequestError && error.verified && codes.includes(error.channelCode);
}
