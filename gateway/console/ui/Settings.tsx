import { useEffect, useState } from 'preact/hooks';
import { ApiError, api } from './api';
import type { Session } from './App';
import { type ChannelOption, ChannelOrder } from './ChannelOrder';
import { useLoad } from './useLoad';

interface SettingsData {
  channels: string[];
  channels_from: 'file' | 'console';
  file_channels: string[];
  webhook_url: string | null;
  webhook_url_from: 'file' | 'console';
  file_webhook_url: string | null;
  all_channels: ChannelOption[];
  script_tag: string;
  script_max_age_s: number;
  store: { kind: string; durable: boolean };
}

const FROM = { file: '来自应用配置文件（SPAY_APPS）', console: '来自控制台设置（保存在存储中，优先于配置文件）' };

/** Button settings: channels and their order, the webhook URL, the script tag, and "try it". */
export function Settings({ session }: { session: Session }) {
  const { data, error, reload } = useLoad<SettingsData>('settings');
  const [channels, setChannels] = useState<string[]>([]);
  const [webhookUrl, setWebhookUrl] = useState('');
  const [message, setMessage] = useState('');
  const [problem, setProblem] = useState('');
  useEffect(() => {
    if (data === undefined) return;
    setChannels(data.channels);
    setWebhookUrl(data.webhook_url ?? '');
  }, [data]);

  const save = async (body: Record<string, unknown>, done: string) => {
    setProblem('');
    setMessage('');
    try {
      await api('settings', body);
      await reload();
      setMessage(done);
    } catch (failure) {
      setProblem(failure instanceof ApiError ? failure.message : String(failure));
    }
  };
  const tryIt = async () => {
    setProblem('');
    try {
      const { order, script } = await api<{ order: Record<string, unknown>; script: string }>('try', {});
      await loadWidget(script);
      const bc = (window as unknown as { BC: { click(data: unknown, event?: unknown): void } }).BC;
      bc.click(order, { dataError: (err: { ERROR: string }) => setProblem(err.ERROR) });
    } catch (failure) {
      setProblem(failure instanceof ApiError ? failure.message : String(failure));
    }
  };
  if (data === undefined) {
    return (
      <>
        <h1 tabIndex={-1}>按钮设置</h1>
        {error !== '' ? <p role="alert" class="error">{error}</p> : <p role="status">正在加载…</p>}
      </>
    );
  }
  const minutes = Math.round(data.script_max_age_s / 60);
  return (
    <>
      <h1 tabIndex={-1}>按钮设置</h1>
      {!data.store.durable && (
        <p class="warning" role="note">
          注意：网关使用内存存储（{session.store.description}），这里的设置在网关重启后会丢失。设置 SPAY_DATA_DIR 或 SPAY_DATABASE_URL 以保留它们。
        </p>
      )}
      <div role="status" class="status-line">
        {message}
      </div>
      {problem !== '' && <p role="alert" class="error">{problem}</p>}
      <section class="card" aria-labelledby="channels-title">
        <h2 id="channels-title">支付渠道</h2>
        <p class="note">{FROM[data.channels_from]}</p>
        <ChannelOrder all={data.all_channels} enabled={channels} onChange={setChannels} />
        <p class="note">
          保存后新账单立即按新设置校验；已加载脚本的页面最长在 {data.script_max_age_s} 秒（{minutes} 分钟）的缓存时间内看到新的渠道顺序。
        </p>
        <div class="row">
          <button type="button" class="primary" onClick={() => save({ channels }, `已保存渠道：新账单立即生效，已缓存的脚本在 ${minutes} 分钟内更新。`)}>
            保存渠道
          </button>
          {data.channels_from === 'console' && (
            <button type="button" onClick={() => save({ reset: ['channels'] }, '渠道已恢复为配置文件的值。')}>
              恢复为配置文件的渠道
            </button>
          )}
        </div>
      </section>
      <section class="card" aria-labelledby="hook-title">
        <h2 id="hook-title">Webhook URL</h2>
        <p class="note">{FROM[data.webhook_url_from]}</p>
        <form
          onSubmit={(event) => {
            event.preventDefault();
            void save({ webhook_url: webhookUrl }, '已保存 Webhook URL。');
          }}
        >
          <label for="webhook-url">Webhook URL</label>
          <input id="webhook-url" type="url" value={webhookUrl} onInput={(event) => setWebhookUrl((event.currentTarget as HTMLInputElement).value)} />
          <div class="row">
            <button type="submit" class="primary">
              保存 Webhook URL
            </button>
            {data.webhook_url_from === 'console' && (
              <button type="button" onClick={() => save({ reset: ['webhook_url'] }, 'Webhook URL 已恢复为配置文件的值。')}>
                恢复为配置文件的 URL
              </button>
            )}
          </div>
        </form>
      </section>
      <section class="card" aria-labelledby="tag-title">
        <h2 id="tag-title">脚本标签</h2>
        <p>把这一行放进商户页面：</p>
        <pre class="json" tabIndex={0} aria-label="脚本标签">
          <code>{data.script_tag}</code>
        </pre>
        <div class="row">
          <button
            type="button"
            onClick={() =>
              navigator.clipboard.writeText(data.script_tag).then(
                () => setMessage('已复制脚本标签。'),
                () => setProblem('浏览器不允许复制，请手动选择上面的文字。'),
              )
            }
          >
            复制脚本标签
          </button>
          <button type="button" onClick={tryIt}>
            试一试（沙箱订单 ¥0.01）
          </button>
        </div>
      </section>
    </>
  );
}

let widget: Promise<void> | undefined;

/** Loads the app's script from the gateway once (same origin, so the page's CSP allows it). */
function loadWidget(src: string): Promise<void> {
  widget ??= new Promise<void>((resolve, reject) => {
    const script = document.createElement('script');
    script.src = src;
    script.onload = () => resolve();
    script.onerror = () => {
      widget = undefined;
      reject(new Error('无法加载支付按钮脚本'));
    };
    document.head.append(script);
  });
  return widget;
}
