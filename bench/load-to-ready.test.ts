import { describe, expect, it } from 'vitest';
import { evaluateScriptMs, functionCallMs, moduleMs } from './load-to-ready';

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

describe('moduleMs', () => {
  const ui = 'http://127.0.0.1:9/1/pay/jsbutton/assets/spay-ui.0123456789.js';

  it("adds the module's compile and the evaluation that follows it, and no other module's", () => {
    const events = [
      { name: 'v8.compileModule', ts: 10, dur: 100, args: { data: { url: 'http://127.0.0.1:9/other.js' } } },
      { name: 'v8.evaluateModule', ts: 20, dur: 5000 },
      { name: 'v8.compileModule', ts: 30, dur: 150, args: { data: { url: ui } } },
      { name: 'v8.evaluateModule', ts: 40, dur: 300 },
      { name: 'v8.evaluateModule', ts: 50, dur: 7000 },
    ];
    expect(moduleMs(trace(events), ui)).toBeCloseTo(0.45);
  });

  it('throws when the module was never compiled', () => {
    expect(() => moduleMs(trace([{ name: 'v8.evaluateModule', ts: 1, dur: 1 }]), ui)).toThrow(/no v8.compileModule/);
  });
});

describe('functionCallMs', () => {
  it("sums the FunctionCall events of the named script only, in ms, and is 0 when there are none", () => {
    const url = 'http://127.0.0.1:9/1/pay/jsbutton/returnscripts?appId=a';
    const events = [
      { name: 'FunctionCall', dur: 1200, args: { data: { url } } },
      { name: 'FunctionCall', dur: 900, args: { data: { url: 'http://127.0.0.1:9/other.js' } } },
      { name: 'EvaluateScript', dur: 400, args: { data: { url } } },
    ];
    expect(functionCallMs(trace(events), '/returnscripts')).toBeCloseTo(1.2);
    expect(functionCallMs(trace([]), '/returnscripts')).toBe(0);
  });
});
