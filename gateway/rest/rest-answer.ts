import type { Answer } from '../http/answer';
import { type Refusal, refusalAnswer } from '../http/api-answer';

/**
 * A REST refusal: its JSON (result_code, result_msg, err_detail naming the field and the rule) with HTTP 200, as
 * BeeCloud answered; the official SDKs read `result_code` and take any other status for a broken server.
 */
export function restRefusal(refused: Refusal): Answer {
  return refusalAnswer({ ...refused, status: 200 });
}
