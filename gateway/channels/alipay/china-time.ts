const CHINA_OFFSET_MS = 8 * 3600_000;

/**
 * `yyyy-MM-dd HH:mm:ss` in China Standard Time (UTC+8, no daylight saving), whatever the server's own zone: the
 * format of Alipay's `timestamp`, `time_expire` and the times in its answers.
 */
export function formatChinaTime(date: Date): string {
  return new Date(date.getTime() + CHINA_OFFSET_MS).toISOString().slice(0, 19).replace('T', ' ');
}

/** The instant a China Standard Time `yyyy-MM-dd HH:mm:ss` names, or undefined when it is not one. */
export function parseChinaTime(text: string): Date | undefined {
  if (!/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/.test(text)) return undefined;
  const date = new Date(`${text.replace(' ', 'T')}+08:00`);
  return Number.isNaN(date.getTime()) ? undefined : date;
}
