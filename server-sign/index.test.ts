import { expect, it } from 'vitest';
import * as serverSign from './index';

it('exports exactly the public API', () => {
  expect(Object.keys(serverSign).sort()).toEqual([
    'RestResponseError',
    'SignInputError',
    'createRestClient',
    'isMd5Hex',
    'isRestResponseError',
    'isSignInputError',
    'md5Hex',
    'parseWebhookBody',
    'safeEqualHex',
    'signLegacyWebhook',
    'signOrder',
    'signRestApp',
    'signWebhook',
    'verifyLegacyWebhookSign',
    'verifyOrderSign',
    'verifyRestAppSign',
    'verifyWebhook',
  ]);
});
