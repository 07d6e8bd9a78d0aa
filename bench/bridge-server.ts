import { answerWith } from '../gateway/http/answer';
import { type Listener, listenForAnswers } from '../gateway/http/listen';

const BODY = '{"result_code":0,"result_msg":"OK","err_detail":"","hello":"world"}';
const HEADERS = Object.freeze({ 'Content-Type': 'application/json; charset=utf-8' });

/**
 * The node:http bridge the gateway is served by (listenForAnswers in gateway/http/listen.ts) around a handler that
 * only reads the body and answers a small JSON: what the gateway costs before any bill logic runs.
 */
export function startBridgeServer(): Promise<Listener> {
  return listenForAnswers(
    async (request) => {
      await request.readBody(Number.POSITIVE_INFINITY);
      return answerWith(BODY, 200, HEADERS);
    },
    { port: 0, host: '127.0.0.1', log: () => {} },
  );
}
