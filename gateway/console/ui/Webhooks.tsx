import { useState } from 'preact/hooks';
import { ApiError, api, when } from './api';
import type { DeliveryView } from './BillPage';
import { useLoad } from './useLoad';

interface FailingList {
  webhooks: Array<DeliveryView & { kind: string; bill_id: string | null; out_trade_no: string | null; refund_no: string | null }>;
  webhook_url: string | null;
}

/** The failing webhooks with their last answer, each with "resend now". */
export function Webhooks() {
  const { data, error, reload } = useLoad<FailingList>('webhooks');
  const [message, setMessage] = useState('');
  const [problem, setProblem] = useState('');
  const resend = async (delivery: DeliveryView) => {
    setProblem('');
    try {
      await api('webhooks/resend', { subject: delivery.subject, subject_id: delivery.subject_id });
      setMessage('已安排立即重发；稍后刷新可见结果。');
      await reload();
      setTimeout(() => void reload(), 800);
    } catch (failure) {
      setProblem(failure instanceof ApiError ? failure.message : String(failure));
    }
  };
  return (
    <>
      <h1 tabIndex={-1}>失败的 Webhook</h1>
      <p>
        Webhook URL：<code>{data?.webhook_url ?? '（未设置）'}</code> <a href="#/settings">修改</a>
      </p>
      <div role="status">{message}</div>
      {(error !== '' || problem !== '') && <p role="alert" class="error">{error || problem}</p>}
      {data === undefined ? (
        <p>正在加载…</p>
      ) : data.webhooks.length === 0 ? (
        <p>没有失败的 Webhook。</p>
      ) : (
        <div class="table-wrap" tabIndex={0} role="region" aria-label="失败的 Webhook 列表">
          <table>
            <thead>
              <tr>
                <th scope="col">类型</th>
                <th scope="col">订单号</th>
                <th scope="col">状态</th>
                <th scope="col">尝试次数</th>
                <th scope="col">最后回应</th>
                <th scope="col">最后尝试</th>
                <th scope="col">操作</th>
              </tr>
            </thead>
            <tbody>
              {data.webhooks.map((delivery) => (
                <tr key={`${delivery.subject}-${delivery.subject_id}`}>
                  <td>
                    {delivery.kind}
                    {delivery.refund_no !== null && ` ${delivery.refund_no}`}
                  </td>
                  <td>{delivery.bill_id === null ? '—' : <a href={`#/bills/${encodeURIComponent(delivery.bill_id)}`}>{delivery.out_trade_no}</a>}</td>
                  <td>{delivery.state === 'failed' ? '已放弃' : `重试中，下次 ${when(delivery.next_attempt_at)}`}</td>
                  <td>{delivery.attempts}</td>
                  <td>{delivery.last_result ?? '—'}</td>
                  <td>{when(delivery.last_attempt_at)}</td>
                  <td>
                    <button type="button" onClick={() => resend(delivery)} aria-label={`立即重发 ${delivery.out_trade_no ?? ''} 的 ${delivery.kind} Webhook`}>
                      立即重发
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </>
  );
}
