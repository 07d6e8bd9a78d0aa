import { useEffect, useRef, useState } from 'preact/hooks';

/** A channel key and its label. */
export interface ChannelOption {
  key: string;
  label: string;
  label_en: string;
}

/**
 * The enabled channels in order, to reorder by dragging or by the move up / move down buttons, and the disabled ones
 * to enable. `onChange` gets the new order of enabled keys.
 */
export function ChannelOrder({ all, enabled, onChange }: { all: ChannelOption[]; enabled: string[]; onChange: (keys: string[]) => void }) {
  const [dragged, setDragged] = useState<string | null>(null);
  const [announce, setAnnounce] = useState('');
  const focusNext = useRef<string | null>(null);
  const list = useRef<HTMLDivElement>(null);
  const label = (key: string) => all.find((option) => option.key === key)?.label ?? key;
  const name = (key: string) => `${label(key)}（${key}）`;

  useEffect(() => {
    if (focusNext.current === null) return;
    list.current?.querySelector<HTMLElement>(`[data-focus="${focusNext.current}"]`)?.focus();
    focusNext.current = null;
  });

  const move = (key: string, by: number, focus: string) => {
    const from = enabled.indexOf(key);
    const to = from + by;
    if (from < 0 || to < 0 || to >= enabled.length) return;
    const next = [...enabled];
    next.splice(from, 1);
    next.splice(to, 0, key);
    focusNext.current = focus;
    setAnnounce(`${name(key)} 现在是第 ${to + 1} 个`);
    onChange(next);
  };
  const dropOn = (target: string) => {
    if (dragged === null || dragged === target) return;
    const next = enabled.filter((key) => key !== dragged);
    next.splice(next.indexOf(target) + (enabled.indexOf(dragged) < enabled.indexOf(target) ? 1 : 0), 0, dragged);
    setAnnounce(`${name(dragged)} 现在是第 ${next.indexOf(dragged) + 1} 个`);
    setDragged(null);
    onChange(next);
  };
  const disabled = all.filter((option) => !enabled.includes(option.key));

  return (
    <div ref={list}>
      <h3 id="enabled-title">已启用（按显示顺序，可拖动排序）</h3>
      <ol class="channels" aria-labelledby="enabled-title">
        {enabled.map((key, index) => (
          <li
            key={key}
            draggable
            data-channel={key}
            class={dragged === key ? 'dragging' : undefined}
            onDragStart={(event) => {
              setDragged(key);
              event.dataTransfer?.setData('text/plain', key);
            }}
            onDragOver={(event) => event.preventDefault()}
            onDrop={(event) => {
              event.preventDefault();
              dropOn(key);
            }}
            onDragEnd={() => setDragged(null)}
          >
            <span class="grip" aria-hidden="true">
              ⠿
            </span>
            <span class="name">
              {index + 1}. {name(key)}
            </span>
            <span class="row">
              <button type="button" data-focus={`${key}-up`} disabled={index === 0} onClick={() => move(key, -1, index - 1 === 0 ? `${key}-down` : `${key}-up`)} aria-label={`上移 ${name(key)}`}>
                上移
              </button>
              <button
                type="button"
                data-focus={`${key}-down`}
                disabled={index === enabled.length - 1}
                onClick={() => move(key, 1, index + 1 === enabled.length - 1 ? `${key}-up` : `${key}-down`)}
                aria-label={`下移 ${name(key)}`}
              >
                下移
              </button>
              <button
                type="button"
                disabled={enabled.length === 1}
                onClick={() => {
                  setAnnounce(`已停用 ${name(key)}`);
                  onChange(enabled.filter((item) => item !== key));
                }}
                aria-label={`停用 ${name(key)}`}
              >
                停用
              </button>
            </span>
          </li>
        ))}
      </ol>
      <h3 id="disabled-title">未启用</h3>
      {disabled.length === 0 ? (
        <p>全部渠道都已启用。</p>
      ) : (
        <ul class="channels" aria-labelledby="disabled-title">
          {disabled.map((option) => (
            <li key={option.key}>
              <span class="name">{name(option.key)}</span>
              <button
                type="button"
                onClick={() => {
                  setAnnounce(`已启用 ${name(option.key)}，排在最后`);
                  onChange([...enabled, option.key]);
                }}
                aria-label={`启用 ${name(option.key)}`}
              >
                启用
              </button>
            </li>
          ))}
        </ul>
      )}
      <p class="sr-only" role="status">
        {announce}
      </p>
    </div>
  );
}
