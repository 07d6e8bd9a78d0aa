/** The ES module entry for bundler users. No side effects: nothing runs until `click` is called. */
export { click, configure, closePayment } from './module-button';
export type { ModuleOptions } from './module-button';
export type { ClickData, Optional } from './core/validate';
export type { ClickEvent, ClickOutcome, ClickStatus } from './types';
export type { Lang } from './ui/strings';
export type { SpayError, ErrorCode } from './core/errors';
export { isSpayError } from './core/errors';
export type { ChannelKey, RestChannel } from './core/channels';
export { CHANNEL_KEYS } from './core/channels';
export type { WechatPayResult } from './actions/wechat-jsapi';
