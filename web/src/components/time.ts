/** Unix seconds as local date and time; 0 and -1 are "never". */
export function formatTime(unixSeconds: number | null | undefined, never = '—'): string {
  if (!unixSeconds || unixSeconds < 0) return never;
  const date = new Date(unixSeconds * 1000);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())} ${pad(date.getHours())}:${pad(date.getMinutes())}:${pad(date.getSeconds())}`;
}

export function formatUsd(value: number | null | undefined, digits = 4): string {
  if (value === null || value === undefined) return '—';
  return `$${value.toFixed(digits)}`;
}
