/** @jsxImportSource preact */
import type { UsableChannel } from '../core/resolve-channels';
import { ChannelList } from './ChannelList';
import { Dialog } from './Dialog';
import { QrPanel } from './QrPanel';
import type { OrderSummary, ViewState } from './state';
import { Failure, Progress, Success } from './StatusPanel';
import { formatYuan, type Lang, STRINGS } from './strings';

export interface PayDialogProps {
  state: ViewState;
  order: OrderSummary;
  channels: UsableChannel[];
  lang: Lang;
  mobile: boolean;
  sandbox: boolean;
  onChoose(channel: UsableChannel): void;
  onRetry(): void;
  onClose(): void;
  onDone(): void;
}

const TITLE_ID = 'spay-dialog-title';

/** The whole modal: order summary on top, then the view the state names. */
export function PayDialog(props: PayDialogProps) {
  const { state, order, lang } = props;
  const text = STRINGS[lang];
  const amount = formatYuan(order.fen);
  const heading =
    state.view === 'qr' ? text.scanTitle : state.view === 'success' ? text.paid : state.view === 'error' ? text.failed : text.dialogTitle;
  const closable = state.view !== 'leaving';
  return (
    <Dialog titleId={TITLE_ID} closeLabel={text.close} closable={closable} mobile={props.mobile} onClose={props.onClose}>
      <header class="head">
        <h2 id={TITLE_ID}>{heading}</h2>
        {props.sandbox && <span class="badge">{text.sandbox}</span>}
      </header>
      <div class="summary">
        <p class="title">{order.title}</p>
        <p class="amount" aria-label={`${text.amount} ${amount}`}>
          {amount}
        </p>
      </div>
      {state.view === 'picking' && (
        <ChannelList channels={props.channels} busy={state.busy} lang={lang} busyLabel={text.paying} onChoose={props.onChoose} />
      )}
      {state.view === 'picking' && state.busy && <p class="sr-only" role="status">{text.paying}</p>}
      {state.view === 'leaving' && <Progress label={text.leaving} />}
      {state.view === 'wechat' && <Progress label={text.wechatPaying} />}
      {state.view === 'qr' && <QrPanel matrix={state.matrix} image={state.image} mobile={props.mobile} text={text} />}
      {state.view === 'success' && <Success text={text} returning={state.returning} onDone={props.onDone} />}
      {state.view === 'error' && <Failure text={text} error={state.error} canRetry={state.canRetry} onRetry={props.onRetry} />}
    </Dialog>
  );
}
