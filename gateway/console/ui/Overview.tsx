import { yuan } from './api';
import { useLoad } from './useLoad';

interface Day {
  day: string;
  fee: number;
  count: number;
}
interface OverviewData {
  today: Day;
  last_30_days: { fee: number; count: number };
  days: Day[];
  webhooks: { pending: number; failed: number };
  channels: Array<{ key: string; label: string; live: boolean }>;
}

/** The overview: paid today and over 30 days, a chart of each day, webhooks owed, and the channels' modes. */
export function Overview() {
  const { data, error } = useLoad<OverviewData>('overview');
  return (
    <>
      <h1 tabIndex={-1}>概览</h1>
      {error !== '' && <p role="alert" class="error">{error}</p>}
      {data === undefined ? (
        <p role="status">正在加载…</p>
      ) : (
        <>
          <div class="cards">
            <section class="card" aria-labelledby="today-title">
              <h2 id="today-title">今日收款</h2>
              <p class="big">{yuan(data.today.fee)}</p>
              <p>{data.today.count} 笔</p>
            </section>
            <section class="card" aria-labelledby="month-title">
              <h2 id="month-title">近 30 天收款</h2>
              <p class="big">{yuan(data.last_30_days.fee)}</p>
              <p>{data.last_30_days.count} 笔</p>
            </section>
            <section class="card" aria-labelledby="hooks-title">
              <h2 id="hooks-title">Webhook</h2>
              <p>
                待发送 <strong>{data.webhooks.pending}</strong>，失败 <strong>{data.webhooks.failed}</strong>
              </p>
              <a href="#/webhooks">查看失败的 Webhook</a>
            </section>
          </div>
          <section class="card" aria-labelledby="chart-title">
            <h2 id="chart-title">近 30 天每日收款</h2>
            <DailyChart days={data.days} />
          </section>
          <section class="card" aria-labelledby="channels-title">
            <h2 id="channels-title">渠道</h2>
            <ul class="plain">
              {data.channels.map((channel) => (
                <li key={channel.key}>
                  {channel.label}（{channel.key}）：<span class={channel.live ? 'badge live' : 'badge'}>{channel.live ? '正式' : '沙箱'}</span>
                </li>
              ))}
            </ul>
          </section>
        </>
      )}
    </>
  );
}

const WIDTH = 600;
const HEIGHT = 160;

/** Bars of each day's paid amount, drawn in SVG; the total is in its accessible name. */
function DailyChart({ days }: { days: Day[] }) {
  const most = Math.max(1, ...days.map((day) => day.fee));
  const step = WIDTH / days.length;
  const total = days.reduce((sum, day) => sum + day.fee, 0);
  return (
    <svg class="chart" viewBox={`0 0 ${WIDTH} ${HEIGHT + 20}`} role="img" aria-labelledby="chart-desc">
      <title id="chart-desc">{`近 30 天每日收款柱状图，共 ${yuan(total)}，最高一天 ${yuan(most === 1 && total === 0 ? 0 : most)}`}</title>
      <line x1="0" y1={HEIGHT} x2={WIDTH} y2={HEIGHT} class="axis" />
      {days.map((day, index) => {
        const height = Math.round((day.fee / most) * (HEIGHT - 10));
        return (
          <rect key={day.day} x={index * step + 2} y={HEIGHT - height} width={Math.max(1, step - 4)} height={height} class="bar">
            <title>{`${day.day}：${yuan(day.fee)}，${day.count} 笔`}</title>
          </rect>
        );
      })}
      <text x="0" y={HEIGHT + 16} class="label">
        {days[0]?.day.slice(5)}
      </text>
      <text x={WIDTH} y={HEIGHT + 16} class="label end">
        {days.at(-1)?.day.slice(5)}
      </text>
    </svg>
  );
}
