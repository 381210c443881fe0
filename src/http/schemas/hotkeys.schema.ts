import { Type } from '@sinclair/typebox';

/** `{"custom_hotkeys": {"section:action": {"key": "...", "active": bool}}}` (spec §5.3). */
export const HotkeysSchema = Type.Object({
  custom_hotkeys: Type.Record(Type.String(), Type.Unknown()),
});

/** Label Studio's body for a rejected hotkey map (not the usual envelope). */
export const HotkeysInvalidSchema = Type.Object({
  error: Type.String(),
  details: Type.Record(Type.String(), Type.Array(Type.String())),
});

export const HotkeysQuery = Type.Object({
  // Repeated `project` parameters arrive as an array; the last one counts.
  project: Type.Optional(
    Type.Union([Type.String(), Type.Array(Type.String())], { description: 'Project id: read or replace your override for that project only' }),
  ),
});

/**
 * The PATCH body. The map itself is left untyped here: a rejected map must answer Label Studio's
 * `{"error", "details"}` body, which the hotkeys service produces, not the schema validator's envelope.
 */
export const HotkeysBodyDoc = Type.Unsafe<unknown>({
  type: 'object',
  description: 'The whole map; it replaces the stored one. `{}` clears it.',
  properties: { custom_hotkeys: { description: 'Required. {"section:action": {"key": "ctrl+s", "active": true}}' } },
});
