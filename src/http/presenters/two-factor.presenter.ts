import type { Static } from '@sinclair/typebox';
import QRCode from 'qrcode';
import { presentDateTime } from '#src/http/presenters/datetime.presenter.js';
import type { EnrolmentSchema, MemberTwoFactorSchema, RequirementSchema, TwoFactorStatusSchema } from '#src/http/schemas/two-factor.schema.js';
import type { Enrolment, TwoFactorStatus } from '#src/services/two-factor.service.js';
import type { MemberTwoFactor, TwoFactorRequirement } from '#src/services/two-factor-admin.service.js';

export function presentTwoFactorStatus(status: TwoFactorStatus): Static<typeof TwoFactorStatusSchema> {
  return {
    enabled: status.enabled,
    enabled_at: presentDateTime(status.enabledAt),
    enrolling: status.enrolling,
    recovery_codes_left: status.recoveryCodesLeft,
    required: status.required,
  };
}

/** The enrolment with its QR code drawn here, as an SVG data URL: the page shows it with no script of its own. */
export async function presentEnrolment(enrolment: Enrolment): Promise<Static<typeof EnrolmentSchema>> {
  const svg = await QRCode.toString(enrolment.uri, { type: 'svg', errorCorrectionLevel: 'M', margin: 2 });
  return {
    secret: enrolment.secret,
    otpauth_uri: enrolment.uri,
    qr_code: `data:image/svg+xml;base64,${Buffer.from(svg).toString('base64')}`,
  };
}

export function presentRequirement(requirement: TwoFactorRequirement): Static<typeof RequirementSchema> {
  return { organization: requirement.organizationId, require_two_factor: requirement.required };
}

export function presentMemberTwoFactor(member: MemberTwoFactor): Static<typeof MemberTwoFactorSchema> {
  return { user: member.userId, enabled: member.enabled, enabled_at: presentDateTime(member.enabledAt) };
}
