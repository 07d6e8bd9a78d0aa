/** Shared order fixtures for the widget's tests. */

/** A well-formed BC.click `data`: every required field valid, nothing optional. */
export const VALID_DATA = Object.freeze({
  out_trade_no: 'SHOP20240601001',
  title: '测试商品',
  amount: 1,
  sign: '0123456789abcdef0123456789abcdef',
});

/** VALID_DATA with some fields replaced (a value of `undefined` removes the field). */
export function dataWith(changes: Record<string, unknown>): Record<string, unknown> {
  const data: Record<string, unknown> = { ...VALID_DATA, ...changes };
  for (const [key, value] of Object.entries(changes)) if (value === undefined) delete data[key];
  return data;
}

/** A desktop Chrome user agent on Windows, as sent by Chrome 131. */
export const WINDOWS_CHROME_UA =
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36';
