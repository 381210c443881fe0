import type { MailMessage } from '#src/ports/mailer.port.js';
import type { RoleCode } from '#src/storage/schema.js';

/** The roles an invitation may name, as people read them. */
const ROLE_NAMES: Partial<Record<RoleCode, string>> = { AD: 'Administrator', MA: 'Manager', RE: 'Reviewer', AN: 'Annotator' };

const escape = (value: string): string => value.replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`);

/** A duration in words: "1 hour", "30 minutes", "7 days". */
export function inWords(seconds: number): string {
  const [amount, unit] = seconds % 86_400 === 0 ? [seconds / 86_400, 'day'] : seconds % 3600 === 0 ? [seconds / 3600, 'hour'] : [Math.round(seconds / 60), 'minute'];
  return `${amount} ${unit}${amount === 1 ? '' : 's'}`;
}

/**
 * Plain text and HTML of one message, from paragraphs and one call to action. Mail clients block styles sheets and
 * scripts, so the HTML is a single table with inline styles; the text part carries the same words and the bare link.
 */
function compose(to: string, subject: string, intro: string[], action: { label: string; href: string }, outro: string[]): MailMessage {
  const text = [...intro, `${action.label}: ${action.href}`, ...outro, '— Label Studio'].join('\n\n');
  const paragraph = (line: string) => `<p style="margin:0 0 16px">${escape(line)}</p>`;
  const html = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${escape(subject)}</title></head>
<body style="margin:0;padding:24px;background:#f6f7f9;font:15px/1.5 system-ui,-apple-system,'Segoe UI',Roboto,sans-serif;color:#1f2328">
<table role="presentation" width="100%" cellpadding="0" cellspacing="0" style="max-width:520px;margin:0 auto;background:#fff;border:1px solid #d6dbe1;border-radius:12px">
<tr><td style="padding:32px">
<p style="margin:0 0 24px;font-weight:700;font-size:18px">Label Studio</p>
${intro.map(paragraph).join('\n')}
<p style="margin:24px 0"><a href="${escape(action.href)}" style="display:inline-block;padding:11px 20px;border-radius:8px;background:#b4232a;color:#fff;font-weight:600;text-decoration:none">${escape(action.label)}</a></p>
<p style="margin:0 0 16px;color:#5b636d;font-size:13px">If the button does not work, open this address: <a href="${escape(action.href)}" style="color:#1d4ed8;word-break:break-all">${escape(action.href)}</a></p>
${outro.map(paragraph).join('\n')}
</td></tr></table></body></html>`;
  return { to, subject, text, html };
}

/** The link to choose a new password. */
export function passwordResetMail(to: string, link: string, validForSeconds: number): MailMessage {
  return compose(
    to,
    'Reset your Label Studio password',
    [`Someone asked to reset the password of the Label Studio account ${to}.`, `The link below lets you choose a new password. It works once, for ${inWords(validForSeconds)}.`],
    { label: 'Choose a new password', href: link },
    ['If you did not ask for this, ignore this message: your password stays as it is.'],
  );
}

export interface InvitationMailInput {
  to: string;
  link: string;
  organization: string;
  /** Who invited (their name or e-mail), when known. */
  inviter: string | undefined;
  role: RoleCode;
  validForDays: number;
}

/** The invitation to join an organization in a role. */
export function invitationMail(input: InvitationMailInput): MailMessage {
  const who = input.inviter ? `${input.inviter} invited you` : 'You are invited';
  const role = ROLE_NAMES[input.role] ?? input.role;
  return compose(
    input.to,
    `Join ${input.organization} on Label Studio`,
    [`${who} to join the organization ${input.organization} on Label Studio as ${role}.`, `The invitation is for ${input.to} and can be accepted for ${inWords(input.validForDays * 86_400)}.`],
    { label: 'Accept the invitation', href: input.link },
    ['If you did not expect this invitation, ignore this message.'],
  );
}
