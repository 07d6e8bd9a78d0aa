import { type Listener, listen } from '../gateway/http/listen';

/**
 * The gateway's own node:http ↔ web Request/Response bridge (gateway/http/listen.ts) around a handler that
 * only reads the body and answers a small JSON: what the gateway costs before any bill logic runs.
 */
export function startBridgeServer(): Promise<Listener> {
  return listen(
    async (request) => {
      await request.text();
      return new Response('{"result_code":0,"result_msg":"OK","err_detail":"","hello":"world"}', {
        headers: { 'Content-Type': 'application/json; charset=utf-8' },
      });
    },
    { port: 0, host: '127.0.0.1', log: () => {} },
  );
}
