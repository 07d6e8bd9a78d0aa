import { STATUS_LABELS, when, yuan } from './api';
import { useLoad } from './useLoad';

interface BillRow {
  id: string;
  out_trade_no: string;
  title: string;
  fee: number;
  refunded_fee: number;
  channel: string;
  status: string;
  created_at: string;
}
interface BillList {
  bills: BillRow[];
  total: number;
  page: number;
  page_size: number;
  channels: string[];
}

const FILTERS = ['out_trade_no', 'status', 'channel', 'from', 'to', 'mode'] as const;

/** The bills: search by order number, filter by status, channel and dates, paged; the filter lives in the hash. */
export function Bills({ hash }: { hash: string }) {
  const params = new URLSearchParams(hash.split('?')[1] ?? '');
  const { data, error } = useLoad<BillList>(`bills?${params.toString()}`);
  const go = (next: URLSearchParams) => {
    location.hash = `#/bills?${next.toString()}`;
  };
  const submit = (event: Event) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget as HTMLFormElement);
    const next = new URLSearchParams();
    for (const name of FILTERS) {
      const value = String(form.get(name) ?? '').trim();
      if (value !== '' && !(name === 'mode' && value === 'live')) next.set(name, value);
    }
    go(next);
  };
  const pages = data === undefined ? 1 : Math.max(1, Math.ceil(data.total / data.page_size));
  const page = data?.page ?? 1;
  const toPage = (n: number) => {
    const next = new URLSearchParams(params);
    next.set('page', String(n));
    go(next);
  };
  return (
    <>
      <h1 tabIndex={-1}>账单</h1>
      <form class="filters" onSubmit={submit} key={hash}>
        <div>
          <label for="f-no">订单号</label>
          <input id="f-no" name="out_trade_no" defaultValue={params.get('out_trade_no') ?? ''} />
        </div>
        <div>
          <label for="f-status">状态</label>
          <select id="f-status" name="status" defaultValue={params.get('status') ?? ''}>
            <option value="">全部</option>
            {Object.entries(STATUS_LABELS).map(([value, label]) => (
              <option key={value} value={value}>
                {label}
              </option>
            ))}
          </select>
        </div>
        <div>
          <label for="f-channel">渠道</label>
          <select id="f-channel" name="channel" defaultValue={params.get('channel') ?? ''}>
            <option value="">全部</option>
            {(data?.channels ?? []).map((channel) => (
              <option key={channel} value={channel}>
                {channel}
              </option>
            ))}
          </select>
        </div>
        <div>
          <label for="f-from">开始日期</label>
          <input id="f-from" name="from" type="date" defaultValue={params.get('from') ?? ''} />
        </div>
        <div>
          <label for="f-to">结束日期</label>
          <input id="f-to" name="to" type="date" defaultValue={params.get('to') ?? ''} />
        </div>
        <div>
          <label for="f-mode">模式</label>
          <select id="f-mode" name="mode" defaultValue={params.get('mode') ?? 'live'}>
            <option value="live">正式</option>
            <option value="test">测试</option>
          </select>
        </div>
        <button type="submit" class="primary">
          查询
        </button>
      </form>
      {error !== '' && <p role="alert" class="error">{error}</p>}
      {data === undefined ? (
        <p role="status">正在加载…</p>
      ) : (
        <>
          <p role="status">共 {data.total} 笔</p>
          <div class="table-wrap" tabIndex={0} role="region" aria-label="账单列表">
            <table>
              <thead>
                <tr>
                  <th scope="col">订单号</th>
                  <th scope="col">标题</th>
                  <th scope="col">金额</th>
                  <th scope="col">状态</th>
                  <th scope="col">渠道</th>
                  <th scope="col">创建时间</th>
                </tr>
              </thead>
              <tbody>
                {data.bills.map((bill) => (
                  <tr key={bill.id}>
                    <td>
                      <a href={`#/bills/${encodeURIComponent(bill.id)}`}>{bill.out_trade_no}</a>
                    </td>
                    <td>{bill.title}</td>
                    <td>
                      {yuan(bill.fee)}
                      {bill.refunded_fee > 0 && <span class="note">（已退 {yuan(bill.refunded_fee)}）</span>}
                    </td>
                    <td>{STATUS_LABELS[bill.status] ?? bill.status}</td>
                    <td>{bill.channel}</td>
                    <td>{when(bill.created_at)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <nav class="pager" aria-label="分页">
            <button type="button" disabled={page <= 1} onClick={() => toPage(page - 1)}>
              上一页
            </button>
            <span>
              第 {page} / {pages} 页
            </span>
            <button type="button" disabled={page >= pages} onClick={() => toPage(page + 1)}>
              下一页
            </button>
          </nav>
        </>
      )}
    </>
  );
}
