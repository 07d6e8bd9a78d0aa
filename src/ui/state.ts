import type { SpayError } from '../core/errors';
import type { UsableChannel } from '../core/resolve-channels';
import type { QrMatrix } from '../qr/qr-matrix';

/** The modal's one piece of state; every view is derived from it. */
export type ViewState =
  | { view: 'picking'; busy?: UsableChannel }
  | { view: 'leaving'; channel: UsableChannel }
  | { view: 'qr'; channel: UsableChannel; matrix: QrMatrix | null; image?: string | null }
  | { view: 'wechat' }
  | { view: 'success'; returning: boolean }
  | { view: 'error'; error: SpayError; canRetry: boolean };

/** The order as the modal shows it. */
export interface OrderSummary {
  title: string;
  fen: number;
  outTradeNo: string;
}
