/** @jsxImportSource preact */
import { cleanup, fireEvent, render, screen, within } from '@testing-library/preact';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { spayError } from '../core/errors';
import { usableChannels } from '../core/resolve-channels';
import { encodeQr } from '../qr/qr-matrix';
import { PayDialog, type PayDialogProps } from './PayDialog';
import type { ViewState } from './state';

const CHANNELS = usableChannels(['ali', 'wxmp', 'un'], 'pc');
const [ALI, WXMP] = CHANNELS as [(typeof CHANNELS)[number], (typeof CHANNELS)[number]];

function renderDialog(state: ViewState, props: Partial<PayDialogProps> = {}) {
  const handlers = { onChoose: vi.fn(), onRetry: vi.fn(), onClose: vi.fn(), onDone: vi.fn() };
  const all: PayDialogProps = {
    state,
    order: { title: '测试商品', fen: 1234, outTradeNo: 'SHOP20240601001' },
    channels: CHANNELS,
    lang: 'zh',
    mobile: false,
    sandbox: false,
    ...handlers,
    ...props,
  };
  const view = render(<PayDialog {...all} />);
  return { ...view, ...handlers, rerender: (next: ViewState) => view.rerender(<PayDialog {...all} state={next} />) };
}

const channelButtons = () => within(screen.getByRole('list')).getAllByRole('button');

afterEach(() => {
  cleanup();
});

describe('PayDialog', () => {
  it('is a modal dialog labelled by its heading', () => {
    renderDialog({ view: 'picking' });
    const dialog = screen.getByRole('dialog', { name: '选择支付方式' });
    expect(dialog.getAttribute('aria-modal')).toBe('true');
    const heading = screen.getByRole('heading', { name: '选择支付方式' });
    expect(dialog.getAttribute('aria-labelledby')).toBe(heading.id);
  });

  it('lists the channels as buttons, in the configured order', () => {
    renderDialog({ view: 'picking' });
    expect(screen.getByRole('button', { name: /支付宝/ })).toBeTruthy();
    expect(channelButtons().map((button) => button.textContent)).toEqual([
      expect.stringContaining('支付宝'),
      expect.stringContaining('微信扫码'),
      expect.stringContaining('银联'),
    ]);
    const list = screen.getByRole('list');
    expect(within(list).getAllByRole('listitem')).toHaveLength(3);
  });

  it('names each channel button by its label only', () => {
    renderDialog({ view: 'picking' });
    for (const name of ['支付宝', '微信扫码', '银联']) expect(screen.getByRole('button', { name })).toBeTruthy();
  });

  it('calls onChoose with the channel clicked', () => {
    const { onChoose } = renderDialog({ view: 'picking' });
    fireEvent.click(screen.getByRole('button', { name: /微信扫码/ }));
    expect(onChoose).toHaveBeenCalledExactlyOnceWith(WXMP);
  });

  it('shows the title as text, whatever markup it holds', () => {
    const { container } = renderDialog({ view: 'picking' }, { order: { title: '<b>x</b><img src=x>', fen: 1, outTradeNo: 'A1234567' } });
    expect(screen.getByText('<b>x</b><img src=x>')).toBeTruthy();
    expect(container.querySelector('b')).toBeNull();
    expect(screen.queryByRole('img')).toBeNull();
  });

  it.each([
    [1234, '¥12.34'],
    [1, '¥0.01'],
    [100, '¥1.00'],
  ])('shows %i fen as %s', (fen, shown) => {
    renderDialog({ view: 'picking' }, { order: { title: '测试商品', fen, outTradeNo: 'A1234567' } });
    expect(screen.getByText(shown)).toBeTruthy();
    expect(screen.getByLabelText(`支付金额 ${shown}`)).toBeTruthy();
  });

  it('marks the chosen channel busy and disables every channel while its bill is created', () => {
    renderDialog({ view: 'picking', busy: ALI });
    const chosen = screen.getByRole('button', { name: /支付宝/ });
    expect(chosen.getAttribute('aria-busy')).toBe('true');
    for (const button of channelButtons()) expect((button as HTMLButtonElement).disabled).toBe(true);
    expect(screen.getByRole('button', { name: /微信扫码/ }).getAttribute('aria-busy')).toBeNull();
    expect(screen.getByRole('status').textContent).toBe('正在创建订单…');
    expect((screen.getByRole('button', { name: '关闭' }) as HTMLButtonElement).disabled).toBe(false);
  });

  it('closes with the close button', () => {
    const { onClose } = renderDialog({ view: 'picking' });
    fireEvent.click(screen.getByRole('button', { name: '关闭' }));
    expect(onClose).toHaveBeenCalledTimes(1);
  });

  it('closes on Escape', () => {
    const { onClose } = renderDialog({ view: 'picking' });
    fireEvent.keyDown(screen.getByRole('dialog'), { key: 'Escape' });
    expect(onClose).toHaveBeenCalledTimes(1);
  });

  it('closes on Escape pressed on a channel button inside it', () => {
    const { onClose } = renderDialog({ view: 'picking' });
    fireEvent.keyDown(screen.getByRole('button', { name: /银联/ }), { key: 'Escape' });
    expect(onClose).toHaveBeenCalledTimes(1);
  });

  it('closes on a click on the backdrop but not inside the dialog', () => {
    const { onClose } = renderDialog({ view: 'picking' });
    fireEvent.click(screen.getByRole('dialog'));
    expect(onClose).not.toHaveBeenCalled();
    fireEvent.click(screen.getByRole('dialog').parentElement as HTMLElement);
    expect(onClose).toHaveBeenCalledTimes(1);
  });

  it('cannot be closed while the page is leaving for the channel', () => {
    const { onClose } = renderDialog({ view: 'leaving', channel: ALI });
    fireEvent.keyDown(screen.getByRole('dialog'), { key: 'Escape' });
    // A disabled button receives no clicks in a browser; jsdom would still dispatch a synthetic one.
    expect((screen.getByRole('button', { name: '关闭' }) as HTMLButtonElement).disabled).toBe(true);
    fireEvent.click(screen.getByRole('dialog').parentElement as HTMLElement);
    expect(onClose).not.toHaveBeenCalled();
    expect(screen.getByRole('status').textContent).toContain('正在前往支付页面…');
  });

  it('moves focus into the dialog when it opens', () => {
    renderDialog({ view: 'picking' });
    expect(screen.getByRole('dialog').contains(document.activeElement)).toBe(true);
  });

  it('traps Tab inside the dialog', () => {
    renderDialog({ view: 'picking' });
    const buttons = screen.getAllByRole('button');
    const first = buttons[0] as HTMLElement;
    const last = buttons[buttons.length - 1] as HTMLElement;
    last.focus();
    fireEvent.keyDown(last, { key: 'Tab' });
    expect(document.activeElement).toBe(first);
    fireEvent.keyDown(first, { key: 'Tab', shiftKey: true });
    expect(document.activeElement).toBe(last);
  });

  it('shows an error as an alert, with a retry button when it can be retried', () => {
    const error = spayError('NETWORK', 'the payment gateway could not be reached (Failed to fetch)');
    const { onRetry } = renderDialog({ view: 'error', error, canRetry: true });
    expect(screen.getByRole('heading', { name: '支付未完成' })).toBeTruthy();
    expect(screen.getByRole('alert').textContent).toBe('the payment gateway could not be reached (Failed to fetch)');
    fireEvent.click(screen.getByRole('button', { name: '重试' }));
    expect(onRetry).toHaveBeenCalledTimes(1);
  });

  it('offers no retry for an error that a retry cannot fix', () => {
    renderDialog({ view: 'error', error: spayError('SIGN_INVALID', 'sign does not match'), canRetry: false });
    expect(screen.getByRole('alert').textContent).toBe('sign does not match');
    expect(screen.queryByRole('button', { name: '重试' })).toBeNull();
    expect(screen.getByRole('button', { name: '关闭' })).toBeTruthy();
  });

  it('shows the error message as text, whatever it contains', () => {
    const { container } = renderDialog({ view: 'error', error: spayError('GATEWAY', '<img src=x onerror=alert(1)>'), canRetry: true });
    expect(screen.getByRole('alert').textContent).toBe('<img src=x onerror=alert(1)>');
    expect(container.querySelector('img')).toBeNull();
  });

  it('shows the completion view with a done button', () => {
    const { onDone } = renderDialog({ view: 'success', returning: false });
    expect(screen.getByRole('heading', { name: '支付成功' })).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: '完成' }));
    expect(onDone).toHaveBeenCalledTimes(1);
  });

  it('says it is returning to the shop when there is a return_url', () => {
    renderDialog({ view: 'success', returning: true });
    expect(screen.getByText('正在返回商户页面…')).toBeTruthy();
    expect(screen.queryByRole('button', { name: '完成' })).toBeNull();
  });

  it('draws the QR code as an image named for what it is, with the scan hint', () => {
    renderDialog({ view: 'qr', channel: WXMP, matrix: encodeQr('weixin://wxpay/bizpayurl?pr=abcdefg') });
    expect(screen.getByRole('dialog', { name: '微信扫码支付' })).toBeTruthy();
    const qr = screen.getByRole('img', { name: '支付二维码' });
    expect(qr.tagName.toLowerCase()).toBe('svg');
    expect(qr.querySelector('path')?.getAttribute('d')).toMatch(/^M\d/);
    expect(screen.getByText('请使用微信扫一扫')).toBeTruthy();
    expect(screen.getAllByText('¥12.34').length).toBeGreaterThan(0);
    expect(screen.getByText('等待支付结果…')).toBeTruthy();
  });

  it('tells a phone buyer to save the QR code or use another device', () => {
    renderDialog({ view: 'qr', channel: WXMP, matrix: encodeQr('weixin://wxpay/bizpayurl?pr=abcdefg') }, { mobile: true });
    expect(screen.getByText('请长按保存二维码，或用另一台设备的微信扫一扫')).toBeTruthy();
  });

  it('shows a phone the QR code as an image it can save, and falls back to the SVG when the page refuses it', () => {
    const image = 'data:image/png;base64,iVBORw0KGgo=';
    const matrix = encodeQr('weixin://wxpay/bizpayurl?pr=abcdefg');
    renderDialog({ view: 'qr', channel: WXMP, matrix, image }, { mobile: true });
    const picture = screen.getByRole('img', { name: '支付二维码' });
    expect(picture.tagName.toLowerCase()).toBe('img');
    expect(picture.getAttribute('src')).toBe(image);
    // A Content-Security-Policy without data: in img-src makes the image fail to load.
    fireEvent.error(picture);
    const drawn = screen.getByRole('img', { name: '支付二维码' });
    expect(drawn.tagName.toLowerCase()).toBe('svg');
    expect(drawn.querySelector('path')?.getAttribute('d')).toBe(matrix.path);
  });

  it('says the QR code is being drawn while the encoder loads', () => {
    renderDialog({ view: 'qr', channel: WXMP, matrix: null });
    expect(screen.queryByRole('img')).toBeNull();
    expect(screen.getByText('正在生成二维码…')).toBeTruthy();
  });

  it('shows progress while WeChat Pay opens', () => {
    renderDialog({ view: 'wechat' });
    expect(screen.getByRole('status').textContent).toContain('正在调起微信支付…');
  });

  it('shows the sandbox badge only in the sandbox', () => {
    renderDialog({ view: 'picking' }, { sandbox: true });
    expect(screen.getByText('沙箱环境')).toBeTruthy();
    cleanup();
    renderDialog({ view: 'picking' }, { sandbox: false });
    expect(screen.queryByText('沙箱环境')).toBeNull();
  });

  it('speaks English when asked', () => {
    const { rerender } = renderDialog({ view: 'picking' }, { lang: 'en' });
    expect(screen.getByRole('dialog', { name: 'Choose a payment method' })).toBeTruthy();
    expect(screen.getByRole('button', { name: 'Close' })).toBeTruthy();
    expect(screen.getByRole('button', { name: 'Alipay' })).toBeTruthy();
    expect(screen.getByRole('button', { name: 'WeChat Pay (QR)' })).toBeTruthy();
    expect(screen.getByRole('button', { name: 'UnionPay' })).toBeTruthy();
    expect(screen.getByLabelText('Amount ¥12.34')).toBeTruthy();
    rerender({ view: 'error', error: spayError('NETWORK', 'offline'), canRetry: true });
    expect(screen.getByRole('button', { name: 'Try again' })).toBeTruthy();
    rerender({ view: 'qr', channel: WXMP, matrix: encodeQr('weixin://x') });
    expect(screen.getByRole('img', { name: 'Payment QR code' })).toBeTruthy();
    expect(screen.getByText('Scan with WeChat')).toBeTruthy();
  });
});
