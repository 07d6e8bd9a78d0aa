import { describe, expect, it, vi } from 'vitest';
import { withResultParams } from '../core/return-url';
import { redirectTo } from './redirect';

describe('redirectTo', () => {
  it.each([
    ['https://pay.example.com/cashier/b_1', 'https://pay.example.com/cashier/b_1'],
    ['http://sandbox.example.com/cashier?bill=1', 'http://sandbox.example.com/cashier?bill=1'],
    ['HTTPS://PAY.EXAMPLE.COM/x', 'https://pay.example.com/x'],
  ])('sends the buyer to %s', (url, expected) => {
    const assign = vi.fn();
    expect(redirectTo(url, assign)).toEqual({ ok: true, value: expected });
    expect(assign).toHaveBeenCalledExactlyOnceWith(expected);
  });

  it.each([
    ['javascript:', 'javascript:alert(document.cookie)'],
    ['javascript: with a leading space', ' javascript:alert(1)'],
    ['data:', 'data:text/html,<script>alert(1)</script>'],
    ['ftp', 'ftp://pay.example.com/x'],
    ['a relative path', '/cashier/b_1'],
    ['an empty string', ''],
  ])('refuses %s with GATEWAY and goes nowhere', (_, url) => {
    const assign = vi.fn();
    const result = redirectTo(url, assign);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error.code).toBe('GATEWAY');
    expect(assign).not.toHaveBeenCalled();
  });
});

describe('withResultParams', () => {
  const result = { out_trade_no: 'SHOP20240601001', trade_success: 'true' };

  it.each([
    ['https://shop.example.com/done', 'https://shop.example.com/done?out_trade_no=SHOP20240601001&trade_success=true'],
    ['https://shop.example.com/done?order=7', 'https://shop.example.com/done?order=7&out_trade_no=SHOP20240601001&trade_success=true'],
    ['https://shop.example.com/done?', 'https://shop.example.com/done?out_trade_no=SHOP20240601001&trade_success=true'],
    ['https://shop.example.com/?a=1&b=2', 'https://shop.example.com/?a=1&b=2&out_trade_no=SHOP20240601001&trade_success=true'],
  ])('appends the result to %s', (returnUrl, expected) => {
    expect(withResultParams(returnUrl, result)).toBe(expected);
  });

  it('keeps the existing query parameters readable', () => {
    const url = new URL(withResultParams('https://shop.example.com/done?from=%E5%95%86%E5%BA%97&order=7', result));
    expect(url.searchParams.get('from')).toBe('商店');
    expect(url.searchParams.get('order')).toBe('7');
    expect(url.searchParams.get('trade_success')).toBe('true');
  });

  it('encodes values that need it', () => {
    const url = new URL(withResultParams('https://shop.example.com/done', { note: 'a&b=c 汉' }));
    expect(url.searchParams.get('note')).toBe('a&b=c 汉');
  });
});
