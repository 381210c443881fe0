import { Type } from '@sinclair/typebox';
import { Nullable } from '#src/http/schemas/common.schema.js';

const DateTime = Type.String({ format: 'date-time' });

/** `GET /api/current-user/two-factor`: where the caller stands. */
export const TwoFactorStatusSchema = Type.Object({
  enabled: Type.Boolean({ description: 'A code is asked for at login' }),
  enabled_at: Nullable(DateTime),
  enrolling: Type.Boolean({ description: 'A set-up was started and waits for its first code' }),
  recovery_codes_left: Type.Integer({ description: 'Unused recovery codes' }),
  required: Type.Boolean({ description: 'The active organization requires two-factor sign-in' }),
});

/** `POST …/two-factor/enrolment`: the new secret, as text and as the QR code authenticator apps scan. */
export const EnrolmentSchema = Type.Object({
  secret: Type.String({ description: 'Base32 secret, for typing into the app by hand' }),
  otpauth_uri: Type.String({ description: 'otpauth://totp/… (what the QR code holds)' }),
  qr_code: Type.String({ description: 'The QR code as a data: URL (SVG image)' }),
});

export const CodeBody = Type.Object({
  code: Type.String({ minLength: 1, maxLength: 32, description: 'The 6-digit code the app shows now' }),
});

/** Turning it off or replacing the recovery codes: the password, or a code (from the app, or a recovery code). */
export const ProofBody = Type.Object({
  password: Type.Optional(Type.String({ maxLength: 128 })),
  code: Type.Optional(Type.String({ maxLength: 32, description: 'A 6-digit code from the app, or a recovery code' })),
});

export const RecoveryCodesSchema = Type.Object({
  recovery_codes: Type.Array(Type.String(), { description: 'One-time codes, shown this once: each logs in once without the app' }),
});

/** The organization's requirement. */
export const RequirementSchema = Type.Object({
  organization: Type.Integer(),
  require_two_factor: Type.Boolean({ description: 'Every member must use two-factor sign-in; the web app sends others to set it up' }),
});
export const RequirementBody = Type.Object({ require_two_factor: Type.Boolean() });

/** Whether a member uses two-factor sign-in. */
export const MemberTwoFactorSchema = Type.Object({
  user: Type.Integer(),
  enabled: Type.Boolean(),
  enabled_at: Nullable(DateTime),
});
