export { isMd5Hex, md5Hex, safeEqualHex, signOrder, signRestApp, verifyOrderSign, verifyRestAppSign } from './sign';
export type { OrderSignInput, VerifyResult } from './sign';
export { SignInputError, isSignInputError } from './sign-input-error';
export { parseWebhookBody, signLegacyWebhook, signWebhook, verifyLegacyWebhookSign, verifyWebhook } from './webhook';
export type { WebhookBody, WebhookSignFields, WebhookVerifyResult } from './webhook';
