import { fail, ok, type Checked } from '../core/errors';

/**
 * Submits a channel's self-submitting form without running anything it carries: the HTML is parsed
 * inertly (DOMParser runs no scripts), and only the form's action, method and input values are
 * copied into a fresh form in this document. Returns an error when there is no usable form.
 */
export function submitChannelForm(html: string, doc: Document = document): Checked<HTMLFormElement> {
  const parsed = new DOMParser().parseFromString(html, 'text/html');
  const source = parsed.querySelector('form');
  if (!source) return fail('GATEWAY', 'the payment gateway answered with html that holds no form');
  const action = source.getAttribute('action') || '';
  let target: URL;
  try {
    target = new URL(action);
  } catch {
    return fail('GATEWAY', `the payment form's action must be an absolute URL (got "${action.slice(0, 60)}")`);
  }
  if (target.protocol !== 'https:' && target.protocol !== 'http:') {
    return fail('GATEWAY', `the payment form's action must be http or https (got ${target.protocol})`);
  }
  const form = doc.createElement('form');
  form.action = target.href;
  form.method = (source.getAttribute('method') || 'POST').toUpperCase() === 'GET' ? 'GET' : 'POST';
  const charset = source.getAttribute('accept-charset');
  if (charset) form.acceptCharset = charset;
  form.hidden = true;
  for (const input of Array.from(source.querySelectorAll<HTMLInputElement | HTMLTextAreaElement>('input[name], textarea[name]'))) {
    const field = doc.createElement('input');
    field.type = 'hidden';
    field.name = input.name;
    field.value = input.value;
    form.appendChild(field);
  }
  doc.body.appendChild(form);
  // HTMLFormElement.prototype.submit: a page or a field named "submit" cannot shadow it.
  HTMLFormElement.prototype.submit.call(form);
  return ok(form);
}
