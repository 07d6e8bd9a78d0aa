import { describe, expect, it } from 'vitest';
import { parseApps } from './apps';

const good = { appId: 'shop-1', appSecret: 's1', masterSecret: 'm1', channels: ['ali'] };

describe('parseApps: testSecret', () => {
  it('keeps an optional testSecret, which turns on REST test mode', () => {
    expect(parseApps([{ ...good, testSecret: 't1' }])[0]?.testSecret).toBe('t1');
    expect(parseApps([good])[0]).not.toHaveProperty('testSecret');
  });

  it.each([['a blank string', '  '], ['a number', 42]])('refuses %s as testSecret without showing it', (_case, value) => {
    expect(() => parseApps([{ ...good, testSecret: value }])).toThrow(/apps\[0\]\.testSecret must be a non-empty string \(got (a blank string|a number)\)/);
  });
});
