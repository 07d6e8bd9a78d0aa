import { fail, ok, type Checked } from '../core/errors';

/** Sends the buyer to a channel's payment URL; only http and https URLs are followed. */
export function redirectTo(url: string, assign: (url: string) => void = (href) => location.assign(href)): Checked<string> {
  let target: URL;
  try {
    target = new URL(url);
  } catch {
    return fail('GATEWAY', `the payment gateway answered with a url that is not absolute (got "${url.slice(0, 60)}")`);
  }
  if (target.protocol !== 'https:' && target.protocol !== 'http:') {
    return fail('GATEWAY', `the payment url must be http or https (got ${target.protocol})`);
  }
  assign(target.href);
  return ok(target.href);
}
