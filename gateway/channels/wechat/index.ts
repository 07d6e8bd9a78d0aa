export { parseWechatConfig, WECHAT_PRODUCTION_ENDPOINT, type WechatConfig, type WechatConfigOptions } from './config';
export { createWechatConnector, type WechatConnectorOptions } from './connector';
export { isVerifiedRefusal, WechatRequestError } from './request-error';
