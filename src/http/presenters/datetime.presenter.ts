/** What the repositories store (`Date#toISOString`): already UTC with milliseconds, so no parsing is needed. */
const STORED_FORM = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

/** Label Studio's (DRF's) datetime form: UTC with microseconds and `Z`, e.g. `2021-06-15T19:37:29.594000Z`. */
export function presentDateTime(iso: string): string;
export function presentDateTime(iso: string | null): string | null;
export function presentDateTime(iso: string | null): string | null {
  if (iso === null) return null;
  if (STORED_FORM.test(iso)) return `${iso.slice(0, 23)}000Z`;
  const d = new Date(iso);
  // Anything else stored is an ISO form Date reads (an offset, no milliseconds); what it cannot read passes through.
  if (Number.isNaN(d.getTime())) return iso;
  return `${d.toISOString().slice(0, 23)}000Z`;
}
