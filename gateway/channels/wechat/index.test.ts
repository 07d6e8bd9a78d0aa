import { expect, it } from 'vitest';
import * as wechat from './index';

it('exports the connector factory, the config parser and the refusal error, and nothing else', () => {
  expect(Object.keys(wechat).sort()).toEqual(['WECHAT_PRODUCTION_ENDPOINT', 'WechatRequestError', 'createWechatConnector', 'isVerifiedRefusal', 'parseWechatConfig']);
});
