const dateTime = new Intl.DateTimeFormat('en-GB', { dateStyle: 'medium', timeStyle: 'short', timeZone: 'UTC' });
const date = new Intl.DateTimeFormat('en-GB', { dateStyle: 'medium', timeZone: 'UTC' });

/** An ISO instant as people read it (UTC, stated). */
export function formatInstant(iso: string | null | undefined): string {
  return iso ? `${dateTime.format(new Date(iso))} UTC` : '—';
}

export function formatDay(iso: string): string {
  return date.format(new Date(iso));
}

/** "3 days 4 hours" until `iso`; "indefinitely" without an end. */
export function timeLeft(iso: string | null | undefined, now = Date.now()): string {
  if (!iso) return 'no end (indefinite)';
  const ms = new Date(iso).getTime() - now;
  if (ms <= 0) return 'ended';
  const hours = Math.floor(ms / 3_600_000);
  const days = Math.floor(hours / 24);
  if (days > 0) return `${days} day${days === 1 ? '' : 's'} ${hours % 24} h`;
  const minutes = Math.max(1, Math.floor(ms / 60_000));
  return hours > 0 ? `${hours} h ${minutes % 60} min` : `${minutes} min`;
}
