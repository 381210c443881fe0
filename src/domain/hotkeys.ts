/**
 * Rules for a personal hotkey map `{"section:action": {"key": "ctrl+s", "active": true}}` (spec §5.3).
 * The messages are Label Studio's, word for word: its web app shows them to people.
 */

export type HotkeyMap = Record<string, unknown>;

export const MAX_HOTKEYS = 200;
const MAX_ACTION_LENGTH = 100;
const MAX_KEY_LENGTH = 50;
const MAX_NON_MODIFIER_PART = 20;

/** System shortcuts nobody may rebind (compared lower-cased and trimmed). */
const BLOCKED_COMBINATIONS: ReadonlySet<string> = new Set([
  'ctrl+alt+delete',
  'cmd+alt+escape',
  'alt+f4',
  'ctrl+alt+esc',
  'cmd+option+esc',
  'ctrl+shift+esc',
  'cmd+shift+q',
  'alt+tab',
  'cmd+tab',
  'ctrl+alt+t',
  'cmd+space',
]);

const MODIFIERS: ReadonlySet<string> = new Set(['ctrl', 'cmd', 'command', 'alt', 'option', 'shift', 'meta']);

/** Letters, digits, whitespace and the printable ASCII punctuation keyboards produce. */
const KEY_CHARACTERS = /^[a-zA-Z0-9+\-\s[\]\\;'".,/`~!@#$%^&*()_={}|:<>?]+$/;

/** Length in code points, as Python counts it. */
const lengthOf = (text: string): number => [...text].length;

const isPlainObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** Python's name for a JSON value's type, for DRF's "Expected a dictionary" message. */
function pythonTypeName(value: unknown): string {
  if (Array.isArray(value)) return 'list';
  if (typeof value === 'string') return 'str';
  if (typeof value === 'boolean') return 'bool';
  if (typeof value === 'number') return Number.isInteger(value) ? 'int' : 'float';
  return typeof value;
}

function keyProblem(action: string, combo: unknown): string | null {
  if (typeof combo !== 'string' || combo === '') return `Key combination for '${action}' must be a non-empty string`;
  if (lengthOf(combo) > MAX_KEY_LENGTH) return `Key combination for '${action}' is too long (max ${MAX_KEY_LENGTH} characters)`;
  if (BLOCKED_COMBINATIONS.has(combo.trim().toLowerCase())) return `Key combination '${combo}' is not allowed for security reasons`;
  return null;
}

function formatProblem(action: string, combo: string): string | null {
  if (!KEY_CHARACTERS.test(combo)) return `Key combination '${combo}' for '${action}' contains invalid characters`;
  const parts = combo.split('+').map((part) => part.trim());
  // Every part but the last is a modifier; unknown long words there are almost certainly garbage.
  for (const part of parts.slice(0, -1)) {
    if (!MODIFIERS.has(part.toLowerCase()) && lengthOf(part) > MAX_NON_MODIFIER_PART) {
      return `Invalid modifier or key '${part}' in key combination '${combo}'`;
    }
  }
  return null;
}

function entryProblem(action: string, data: unknown): string | null {
  if (action === '') return `Action key '${action}' must be a non-empty string`;
  if (lengthOf(action) > MAX_ACTION_LENGTH) return `Action key '${action}' is too long (max ${MAX_ACTION_LENGTH} characters)`;
  const colon = action.indexOf(':');
  if (colon < 0) return `Action key '${action}' must be in 'section:action' format`;
  if (action.slice(0, colon).trim() === '' || action.slice(colon + 1).trim() === '') {
    return `Action key '${action}' must have non-empty section and action parts`;
  }
  if (!isPlainObject(data)) return `Hotkey data for '${action}' must be a dictionary`;
  if (!Object.hasOwn(data, 'key')) return `Missing 'key' in hotkey data for '${action}'`;
  const combo = data.key;
  const problem = keyProblem(action, combo);
  if (problem) return problem;
  if (Object.hasOwn(data, 'active') && typeof data.active !== 'boolean') return `Active flag for '${action}' must be a boolean`;
  return formatProblem(action, combo as string);
}

/** The first problem with a hotkey map (Label Studio reports one at a time), or null when it is valid. */
export function hotkeysProblem(value: unknown): string | null {
  if (value === null) return 'This field may not be null.';
  if (!isPlainObject(value)) return `Expected a dictionary of items but got type "${pythonTypeName(value)}".`;
  const entries = Object.entries(value);
  if (entries.length > MAX_HOTKEYS) return `Cannot define more than ${MAX_HOTKEYS} custom hotkeys`;
  for (const [action, data] of entries) {
    const problem = entryProblem(action, data);
    if (problem) return problem;
  }
  return null;
}

/** A stored map read back; anything that no longer validates reads as `{}` (Label Studio does the same on GET). */
export function parseStoredHotkeys(raw: string | null | undefined): HotkeyMap {
  if (!raw) return {};
  try {
    const value: unknown = JSON.parse(raw);
    return hotkeysProblem(value) === null ? (value as HotkeyMap) : {};
  } catch {
    return {};
  }
}
