export { isMd5Hex, md5Hex, safeEqualHex, signOrder, signRestApp, verifyOrderSign, verifyRestAppSign } from './sign';
export type { OrderSignInput, VerifyResult } from './sign';
export { SignInputError, isSignInputError } from './sign-input-error';
export { parseWebhookBody, signLegacyWebhook, signWebhook, verifyLegacyWebhookSign, verifyWebhook } from './webhook';
export type { WebhookBody, WebhookSignFields, WebhookVerifyResult } from './webhook';
export { createRestClient } from './rest-client';
export type {
  RestBillAnswer,
  RestBillFilter,
  RestBillParams,
  RestBillRecord,
  RestClient,
  RestClientOptions,
  RestRefundFilter,
  RestRefundParams,
  RestRefundRecord,
  RestResult,
} from './rest-client';
export { RestResponseError, isRestResponseError } from './rest-response-error';
