/**
 * Log timestamps as Dynamo writes them: RFC 3339 with milliseconds, in UTC
 * (`2025-09-02T15:53:31.943Z`) or, with `DYN_LOG_USE_LOCAL_TZ`, in local time with its
 * offset (`2025-09-02T21:23:31.943+05:30`).
 */
const pad = (n: number, width = 2): string => String(n).padStart(width, '0');

function offsetText(minutesEast: number): string {
  const sign = minutesEast < 0 ? '-' : '+';
  const abs = Math.abs(minutesEast);
  return `${sign}${pad(Math.floor(abs / 60))}:${pad(abs % 60)}`;
}

export function formatTimestamp(epochMs: number, localTimezone: boolean): string {
  const d = new Date(epochMs);
  if (!localTimezone) return d.toISOString();
  const date = `${pad(d.getFullYear(), 4)}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
  const time = `${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}.${pad(d.getMilliseconds(), 3)}`;
  return `${date}T${time}${offsetText(-d.getTimezoneOffset())}`;
}
