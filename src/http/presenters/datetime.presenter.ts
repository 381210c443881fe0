/** Label Studio's (DRF's) datetime form: UTC with microseconds and `Z`, e.g. `2021-06-15T19:37:29.594000Z`. */
export function presentDateTime(iso: string): string;
export function presentDateTime(iso: string | null): string | null;
export function presentDateTime(iso: string | null): string | null {
  if (iso === null) return null;
  const d = new Date(iso);
  // Stored values are always ISO strings; anything else is passed through rather than hidden.
  if (Number.isNaN(d.getTime())) return iso;
  return `${d.toISOString().slice(0, 23)}000Z`;
}
