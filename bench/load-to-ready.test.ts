import { describe, expect, it } from 'vitest';
import { evaluateScriptMs } from './load-to-ready';

const trace = (events: object[]) => Buffer.from(JSON.stringify({ traceEvents: events }));

describe('evaluateScriptMs', () => {
  it("sums the main thread's EvaluateScript events of the named script only, in ms", () => {
    const events = [
      { name: 'EvaluateScript', dur: 400, args: { data: { url: 'http://127.0.0.1:9/1/pay/jsbutton/returnscripts?appId=a' } } },
      { name: 'EvaluateScript', dur: 150, args: { data: { url: 'http://127.0.0.1:9/1/pay/jsbutton/returnscripts?appId=a' } } },
      { name: 'EvaluateScript', dur: 9000, args: { data: { url: 'http://127.0.0.1:9/other.js' } } },
      { name: 'v8.parseOnBackground', dur: 2000, args: { data: { url: 'http://127.0.0.1:9/1/pay/jsbutton/returnscripts?appId=a' } } },
    ];
    expect(evaluateScriptMs(trace(events), '/returnscripts')).toBeCloseTo(0.55);
  });

  it('throws when the script never ran, rather than reporting 0 ms', () => {
    expect(() => evaluateScriptMs(trace([{ name: 'EvaluateScript', dur: 1, args: { data: { url: 'x.js' } } }]), '/returnscripts')).toThrow(/no EvaluateScript/);
  });
});
