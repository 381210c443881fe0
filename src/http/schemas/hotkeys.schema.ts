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
  project: Type.Optional(Type.String({ description: 'Project id: read or replace your override for that project only' })),
});

/**
 * Documents the PATCH body without letting the schema validator judge it: a rejected map must answer
 * Label Studio's `{"error", "details"}` body, which the hotkeys service produces.
 */
export const HotkeysBodyDoc = Type.Unsafe<unknown>({
  description: 'The whole map; it replaces the stored one. `{}` clears it.',
  properties: { custom_hotkeys: { description: 'Required. {"section:action": {"key": "ctrl+s", "active": true}}' } },
});
