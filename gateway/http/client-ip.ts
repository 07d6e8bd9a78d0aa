import type { GatewayRequest } from './gateway-request';

/**
 * The buyer's IP address as WeChat H5's scene_info.payer_client_ip wants it: the first X-Forwarded-For hop when a
 * reverse proxy set one (the gateway is meant to run behind one), else the peer's address; undefined when neither.
 */
export function clientIp(request: GatewayRequest): string | undefined {
  const forwarded = request.header('x-forwarded-for')?.split(',')[0]?.trim();
  const address = forwarded || request.header('x-real-ip')?.trim() || request.remoteAddress;
  if (address === undefined || address === '') return undefined;
  return address.replace(/^::ffff:(?=\d+\.\d+\.\d+\.\d+$)/, '');
}
