/** Every string the buyer sees, in one place. zh-CN is the default; English when the page asks. */
export const STRINGS = {
  zh: {
    dialogTitle: '选择支付方式',
    amount: '支付金额',
    close: '关闭',
    paying: '正在创建订单…',
    leaving: '正在前往支付页面…',
    scanTitle: '微信扫码支付',
    scanHint: '请使用微信扫一扫',
    scanHintMobile: '请长按保存二维码，或用另一台设备的微信扫一扫',
    waiting: '等待支付结果…',
    qrLoading: '正在生成二维码…',
    qrLabel: '支付二维码',
    paid: '支付成功',
    paidNext: '正在返回商户页面…',
    done: '完成',
    failed: '支付未完成',
    retry: '重试',
    wechatPaying: '正在调起微信支付…',
    sandbox: '沙箱环境',
  },
  en: {
    dialogTitle: 'Choose a payment method',
    amount: 'Amount',
    close: 'Close',
    paying: 'Creating the order…',
    leaving: 'Taking you to the payment page…',
    scanTitle: 'Pay with WeChat',
    scanHint: 'Scan with WeChat',
    scanHintMobile: 'Press and hold to save the QR code, or scan it with WeChat on another device',
    waiting: 'Waiting for the payment…',
    qrLoading: 'Drawing the QR code…',
    qrLabel: 'Payment QR code',
    paid: 'Payment received',
    paidNext: 'Returning to the shop…',
    done: 'Done',
    failed: 'Payment not completed',
    retry: 'Try again',
    wechatPaying: 'Opening WeChat Pay…',
    sandbox: 'Sandbox',
  },
} as const;

export type Lang = keyof typeof STRINGS;
export type Strings = { [K in keyof (typeof STRINGS)['zh']]: string };

/** English when the option or the page's `lang` says so, Chinese otherwise. */
export function pickLang(option?: string, pageLang?: string): Lang {
  const wanted = (option || pageLang || '').toLowerCase();
  return wanted.startsWith('en') ? 'en' : 'zh';
}

export { formatYuan } from '../core/money';
