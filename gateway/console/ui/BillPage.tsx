import { useRef, useState } from 'preact/hooks';
import { ApiError, STATUS_LABELS, api, toFen, when, yuan } from './api';
import { useLoad } from './useLoad';

/** What the console shows of a webhook delivery. */
export interface DeliveryView {
  subject: 'bill' | 'refund';
  subject_id: string;
  state: string;
  attempts: number;
  next_attempt_at: string;
  last_result: string | null;
  last_attempt_at: string | null;
}
interface BillDetail {
  bill: Record<string, unknown> & { id: string; out_trade_no: string; fee: number; refunded_fee: number; status: string; mode: string };
  message_detail: Record<string, unknown> | null;
  refunds: Array<{ id: string; refund_no: string; refund_fee: number; status: string; webhook: DeliveryView | null }>;
  webhook: DeliveryView | null;
  refundable: number;
  timeline: Array<{ at: string; kind: string; text: string }>;
}

const FIELDS: Array<[string, string]> = [
  ['out_trade_no', '订单号'],
  ['title', '标题'],
  ['fee', '金额'],
  ['refunded_fee', '已退款'],
  ['status', '状态'],
  ['channel', '渠道'],
  ['mode', '模式'],
  ['created_at', '创建时间'],
  ['paid_at', '支付时间'],
  ['trade_no', '渠道交易号'],
  ['return_url', 'return_url'],
  ['buyer_id', 'buyer_id'],
  ['id', '账单 ID'],
];

const STATE_LABELS: Record<string, string> = { pending: '待发送', delivered: '已送达', failed: '失败', none: '未发送（无 URL）' };

/** A refund_no made once per confirmation: today's China date, then "C" and random letters and digits. */
function newRefundNo(): string {
  const date = new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 10).replace(/-/g, '');
  const bytes = crypto.getRandomValues(new Uint8Array(8));
  return `${date}C${Array.from(bytes, (byte) => (byte % 36).toString(36)).join('').toUpperCase()}`;
}

/** One bill: its fields, its timeline, what the channel said, its webhooks (resend), and a refund with confirmation. */
export function BillPage({ id }: { id: string }) {
  const { data, error, reload } = useLoad<BillDetail>(`bills/${encodeURIComponent(id)}`);
  const [amount, setAmount] = useState('');
  const [problem, setProblem] = useState('');
  const [done, setDone] = useState('');
  const [pending, setPending] = useState<{ fee: number; refundNo: string } | null>(null);
  const [busy, setBusy] = useState(false);
  const dialog = useRef<HTMLDialogElement>(null);

  if (data === undefined) {
    return (
      <>
        <h1 tabIndex={-1}>账单</h1>
        {error !== '' ? <p role="alert" class="error">{error}</p> : <p role="status">正在加载…</p>}
      </>
    );
  }
  const { bill } = data;
  const ask = (event: Event) => {
    event.preventDefault();
    setDone('');
    const fee = toFen(amount === '' ? String(data.refundable / 100) : amount);
    if (fee === undefined || fee <= 0) return setProblem('退款金额须是大于 0 的元数，最多两位小数，例如 0.50');
    if (fee > data.refundable) return setProblem(`退款金额不能超过可退金额 ${yuan(data.refundable)}`);
    setProblem('');
    setPending({ fee, refundNo: newRefundNo() });
    dialog.current?.showModal();
  };
  const confirm = async () => {
    if (pending === null) return;
    setBusy(true);
    try {
      await api(`bills/${encodeURIComponent(id)}/refund`, { refund_no: pending.refundNo, refund_fee: pending.fee });
      dialog.current?.close();
      setDone(`已退款 ${yuan(pending.fee)}（退款单号 ${pending.refundNo}）`);
      setAmount('');
      setPending(null);
      await reload();
    } catch (failure) {
      dialog.current?.close();
      setProblem(failure instanceof ApiError ? failure.message : String(failure));
    } finally {
      setBusy(false);
    }
  };
  const resend = async (delivery: DeliveryView) => {
    try {
      await api('webhooks/resend', { subject: delivery.subject, subject_id: delivery.subject_id });
      setDone('已安排立即重发 Webhook');
      setTimeout(() => void reload(), 800);
      await reload();
    } catch (failure) {
      setProblem(failure instanceof ApiError ? failure.message : String(failure));
    }
  };
  const deliveries: Array<[string, DeliveryView]> = [];
  if (data.webhook !== null) deliveries.push(['支付 Webhook', data.webhook]);
  for (const refund of data.refunds) if (refund.webhook !== null) deliveries.push([`退款 Webhook ${refund.refund_no}`, refund.webhook]);

  return (
    <>
      <p>
        <a href="#/bills">← 返回账单列表</a>
      </p>
      <h1 tabIndex={-1}>账单 {bill.out_trade_no}</h1>
      <div class="status-line" role="status">
        {done}
      </div>
      {problem !== '' && <p role="alert" class="error">{problem}</p>}
      <section class="card" aria-labelledby="fields-title">
        <h2 id="fields-title">字段</h2>
        <dl class="fields">
          {FIELDS.filter(([key]) => bill[key] !== undefined && bill[key] !== null).map(([key, label]) => (
            <div key={key}>
              <dt>{label}</dt>
              <dd>{key === 'fee' || key === 'refunded_fee' ? yuan(bill[key] as number) : key.endsWith('_at') ? when(bill[key] as string) : key === 'status' ? (STATUS_LABELS[bill.status] ?? bill.status) : String(bill[key])}</dd>
            </div>
          ))}
        </dl>
      </section>
      {bill.status === 'PAID' && (
        <section class="card" aria-labelledby="refund-title">
          <h2 id="refund-title">退款</h2>
          {data.refundable > 0 ? (
            <form onSubmit={ask}>
              <label for="refund-amount">退款金额（元），可退 {yuan(data.refundable)}</label>
              <input id="refund-amount" inputMode="decimal" value={amount} placeholder={(data.refundable / 100).toFixed(2)} onInput={(event) => setAmount((event.currentTarget as HTMLInputElement).value)} />
              <button type="submit">退款…</button>
            </form>
          ) : (
            <p>此账单已全部退款。</p>
          )}
        </section>
      )}
      <dialog ref={dialog} aria-labelledby="confirm-title" onClose={() => setPending(null)}>
        <h2 id="confirm-title">确认退款</h2>
        <p>
          向买家退款 <strong>{pending === null ? '' : yuan(pending.fee)}</strong>（订单 {bill.out_trade_no}）？此操作不能撤销。
        </p>
        <div class="row">
          <button type="button" class="primary" disabled={busy} onClick={confirm}>
            确认退款 {pending === null ? '' : yuan(pending.fee)}
          </button>
          <button type="button" onClick={() => dialog.current?.close()}>
            取消
          </button>
        </div>
      </dialog>
      <section class="card" aria-labelledby="timeline-title">
        <h2 id="timeline-title">时间线</h2>
        <ol class="timeline">
          {data.timeline.map((event, index) => (
            <li key={index}>
              <time dateTime={event.at}>{when(event.at)}</time> {event.text}
            </li>
          ))}
        </ol>
      </section>
      {deliveries.length > 0 && (
        <section class="card" aria-labelledby="hooks-title">
          <h2 id="hooks-title">Webhook</h2>
          <ul class="plain">
            {deliveries.map(([label, delivery]) => (
              <li key={`${delivery.subject}-${delivery.subject_id}`}>
                {label}：{STATE_LABELS[delivery.state] ?? delivery.state}，尝试 {delivery.attempts} 次{delivery.last_result === null ? '' : `，最后回应 ${delivery.last_result}`}{' '}
                {delivery.state !== 'delivered' && (
                  <button type="button" onClick={() => resend(delivery)} aria-label={`立即重发${label}`}>
                    立即重发
                  </button>
                )}
              </li>
            ))}
          </ul>
        </section>
      )}
      <section class="card" aria-labelledby="detail-title">
        <h2 id="detail-title">渠道返回（message_detail）</h2>
        {data.message_detail === null ? <p>渠道尚未返回。</p> : <pre class="json" tabIndex={0}>{JSON.stringify(data.message_detail, null, 2)}</pre>}
      </section>
    </>
  );
}
