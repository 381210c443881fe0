const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const pad = (n: number) => String(n).padStart(2, '0');

function parse(value: string | null | undefined): Date | undefined {
  if (!value) return undefined;
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? undefined : date;
}

/** Label Studio's `dd MMM yyyy, hh:mm a` in the browser's time zone, e.g. `05 Mar 2025, 02:07 PM`. */
export function formatDateTime(value: string | null | undefined): string {
  const date = parse(value);
  if (!date) return '—';
  const hours = date.getHours() % 12 === 0 ? 12 : date.getHours() % 12;
  const half = date.getHours() < 12 ? 'AM' : 'PM';
  return `${pad(date.getDate())} ${MONTHS[date.getMonth()]} ${date.getFullYear()}, ${pad(hours)}:${pad(date.getMinutes())} ${half}`;
}

/** `dd MMM yyyy`, for compact columns. */
export function formatDate(value: string | null | undefined): string {
  const date = parse(value);
  return date ? `${pad(date.getDate())} ${MONTHS[date.getMonth()]} ${date.getFullYear()}` : '—';
}

const plural = (n: number, unit: string) => `${n} ${unit}${n === 1 ? '' : 's'}`;

/** Words for a distance in time, with the thresholds date-fns `formatDistance` uses (what Label Studio shows). */
export function distanceInWords(seconds: number): string {
  const minutes = Math.round(seconds / 60);
  if (seconds < 30) return 'less than a minute';
  if (minutes < 45) return plural(Math.max(minutes, 1), 'minute');
  if (minutes < 90) return 'about 1 hour';
  const hours = Math.round(minutes / 60);
  if (minutes < 24 * 60) return `about ${plural(hours, 'hour')}`;
  const days = Math.round(minutes / (24 * 60));
  if (minutes < 42 * 60) return '1 day';
  if (minutes < 30 * 24 * 60) return plural(days, 'day');
  const months = Math.round(days / 30);
  if (days < 45) return 'about 1 month';
  if (days < 60) return 'about 2 months';
  if (months < 12) return plural(months, 'month');
  const years = Math.floor(days / 365);
  const rest = days % 365;
  if (rest < 91) return `about ${plural(years, 'year')}`;
  if (rest < 274) return `over ${plural(years, 'year')}`;
  return `almost ${plural(years + 1, 'year')}`;
}

/** "3 days ago"; "Never" when there is no date. */
export function relativeTime(value: string | null | undefined, now: Date = new Date()): string {
  const date = parse(value);
  if (!date) return 'Never';
  const seconds = (now.getTime() - date.getTime()) / 1000;
  // A clock a little ahead of the browser's still reads as "just now", not "in a few seconds".
  if (seconds < 0 && seconds > -60) return `${distanceInWords(0)} ago`;
  return seconds >= 0 ? `${distanceInWords(seconds)} ago` : `in ${distanceInWords(-seconds)}`;
}

export function fullName(user: { first_name: string; last_name: string }): string {
  return `${user.first_name} ${user.last_name}`.trim();
}
