/** @jsxImportSource preact */
import type { UsableChannel } from '../core/resolve-channels';
import type { Lang } from './strings';

interface ChannelListProps {
  channels: UsableChannel[];
  busy?: UsableChannel;
  lang: Lang;
  busyLabel: string;
  onChoose(channel: UsableChannel): void;
}

/** The channel buttons; while one is creating its bill it shows progress and the rest are disabled. */
export function ChannelList({ channels, busy, lang, busyLabel, onChoose }: ChannelListProps) {
  return (
    <ul class="channels">
      {channels.map((channel) => {
        const isBusy = busy?.key === channel.key;
        const label = lang === 'en' ? channel.labelEn : channel.label;
        return (
          <li key={channel.key}>
            <button
              type="button"
              class={`channel ch-${channel.key}`}
              disabled={Boolean(busy)}
              aria-busy={isBusy ? 'true' : undefined}
              onClick={() => onChoose(channel)}
            >
              <span class="mark" aria-hidden="true">{label.slice(0, 1)}</span>
              <span class="label">{label}</span>
              {isBusy && <span class="spinner" role="progressbar" aria-label={busyLabel} />}
            </button>
          </li>
        );
      })}
    </ul>
  );
}
