import { afterEach, beforeEach, describe, expect, it, type MockInstance, vi } from 'vitest';
import { submitChannelForm } from './submit-form';

const ALIPAY_FORM = `
<form id="alipaysubmit" name="alipaysubmit" action="https://openapi.alipay.com/gateway.do?charset=utf-8" method="POST">
  <input type="hidden" name="app_id" value="2021000000000000">
  <input type="hidden" name="biz_content" value="{&quot;out_trade_no&quot;:&quot;SHOP20240601001&quot;,&quot;total_amount&quot;:&quot;0.01&quot;}">
  <input type="hidden" name="sign" value="a+b/c==">
  <textarea name="note">第一行
第二行</textarea>
  <input type="submit" value="ok" style="display:none">
</form>
<script>document.forms['alipaysubmit'].submit();</script>`;

type Submitted = { action: string; method: string; fields: [string, string][] };

function describeForm(form: HTMLFormElement): Submitted {
  return {
    action: form.action,
    method: form.method.toUpperCase(),
    fields: Array.from(form.elements as HTMLCollectionOf<HTMLInputElement>).map((field) => [field.name, field.value]),
  };
}

let submit: MockInstance<() => void>;

beforeEach(() => {
  // jsdom does not navigate; the spy stands in for the browser's form submission.
  submit = vi.spyOn(HTMLFormElement.prototype, 'submit').mockImplementation(() => {});
});

afterEach(() => {
  vi.restoreAllMocks();
  document.body.replaceChildren();
  delete (window as { __ran?: number }).__ran;
});

describe('submitChannelForm', () => {
  it('rebuilds the form with the same action, method and values and submits it once', () => {
    const result = submitChannelForm(ALIPAY_FORM);
    expect(result.ok).toBe(true);
    expect(submit).toHaveBeenCalledTimes(1);
    const form = submit.mock.contexts[0] as HTMLFormElement;
    expect(form.isConnected).toBe(true);
    expect(describeForm(form)).toEqual({
      action: 'https://openapi.alipay.com/gateway.do?charset=utf-8',
      method: 'POST',
      fields: [
        ['app_id', '2021000000000000'],
        ['biz_content', '{"out_trade_no":"SHOP20240601001","total_amount":"0.01"}'],
        ['sign', 'a+b/c=='],
        ['note', '第一行\n第二行'],
      ],
    });
    expect(Array.from(form.elements).every((field) => (field as HTMLInputElement).type === 'hidden')).toBe(true);
    expect(form.hidden).toBe(true);
  });

  it.each([
    ['POST', 'POST'],
    ['post', 'POST'],
    ['GET', 'GET'],
    ['get', 'GET'],
    ['dialog', 'POST'],
    [null, 'POST'],
  ])('sends method %j as %s', (method, expected) => {
    const attribute = method === null ? '' : ` method="${method}"`;
    submitChannelForm(`<form action="https://pay.example.com/cashier"${attribute}><input name="a" value="1"></form>`);
    expect((submit.mock.contexts[0] as HTMLFormElement).method.toUpperCase()).toBe(expected);
  });

  it('keeps the accept-charset of the channel form', () => {
    submitChannelForm('<form action="https://pay.example.com/gbk" accept-charset="GBK"><input name="a" value="1"></form>');
    expect((submit.mock.contexts[0] as HTMLFormElement).acceptCharset).toBe('GBK');
  });

  it('submits even when a field named "submit" would shadow form.submit', () => {
    submitChannelForm('<form action="https://pay.example.com/x"><input name="submit" value="go"></form>');
    expect(submit).toHaveBeenCalledTimes(1);
  });

  it('never runs the scripts or event handlers the html carries', async () => {
    const html = `
      <script>window.__ran = 1</script>
      <img src="x" onerror="window.__ran = 2">
      <form action="https://pay.example.com/cashier" method="post" onsubmit="window.__ran = 3">
        <input name="a" value="1" onfocus="window.__ran = 4" autofocus>
        <script>window.__ran = 5</script>
      </form>
      <iframe srcdoc="<script>parent.__ran = 6</script>"></iframe>`;
    expect(submitChannelForm(html).ok).toBe(true);
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect((window as { __ran?: number }).__ran).toBeUndefined();
    expect(document.querySelectorAll('script, img, iframe')).toHaveLength(0);
    const form = submit.mock.contexts[0] as HTMLFormElement;
    expect(form.getAttribute('onsubmit')).toBeNull();
    expect(Array.from(form.querySelectorAll('*')).some((element) => element.hasAttribute('onfocus'))).toBe(false);
  });

  it('adds nothing to the page but the one form', () => {
    submitChannelForm(ALIPAY_FORM);
    expect(Array.from(document.body.children).map((element) => element.tagName)).toEqual(['FORM']);
  });

  it.each([
    ['a javascript: action', '<form action="javascript:alert(1)"><input name="a" value="1"></form>'],
    ['a data: action', '<form action="data:text/html,hi"><input name="a" value="1"></form>'],
    ['a relative action', '<form action="/gateway.do"><input name="a" value="1"></form>'],
    ['a protocol-relative action', '<form action="//pay.example.com/x"><input name="a" value="1"></form>'],
    ['no action at all', '<form><input name="a" value="1"></form>'],
    ['html without a form', '<p>支付宝</p><script>window.__ran = 1</script>'],
    ['an empty answer', ''],
  ])('refuses %s with GATEWAY and submits nothing', (_, html) => {
    const result = submitChannelForm(html);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error.code).toBe('GATEWAY');
    expect(submit).not.toHaveBeenCalled();
    expect(document.querySelector('form')).toBeNull();
  });
});
