import { AppError } from '#src/errors.js';
import { OWNER_BY_TRANSFER_MESSAGE } from '#src/policies/target-rules.js';

/** The command-line option a service's field comes from, so a refusal names what to fix. */
const FIELD_OPTIONS: Readonly<Record<string, string>> = {
  email: '--username',
  username: '--username',
  password: '--password',
  role: '--role',
  to: '--to',
  // Ownership transfers name the new owner `user_id`, as the API's body does.
  user_id: '--to',
  days: '--days',
  action: '--action',
  since: '--since',
  until: '--until',
  first_name: '--first-name',
  last_name: '--last-name',
};

const TRANSFER_HINT = 'Hand the organization over first: label-studio users transfer-ownership --to <email>.';

/** What to do next after a refusal whose fix is another command. */
const HINTS: Partial<Record<AppError['code'], string>> = {
  'membership.owner_protected': TRANSFER_HINT,
  'user.in_other_organization': 'Remove them from the other organization first.',
};

/** An error as lines for stderr: the detail, each field's problems under its option, and a hint where one helps. */
export function describeError(error: unknown): string {
  if (!(error instanceof AppError)) return `Error: ${error instanceof Error ? error.message : String(error)}\n`;
  const lines: string[] = [];
  const problems = Object.entries(error.validationErrors ?? {});
  if (problems.length === 0) lines.push(`Error: ${error.detail}`);
  for (const [field, messages] of problems) {
    for (const message of Array.isArray(messages) ? messages : [messages]) lines.push(`Error: ${FIELD_OPTIONS[field] ?? field}: ${message}`);
  }
  const ownerByRole = problems.some(([, messages]) => messages === OWNER_BY_TRANSFER_MESSAGE || (Array.isArray(messages) && messages.includes(OWNER_BY_TRANSFER_MESSAGE)));
  const hint = ownerByRole ? 'Make someone the owner with: label-studio users transfer-ownership --to <email>.' : HINTS[error.code];
  if (hint) lines.push(hint);
  return `${lines.join('\n')}\n`;
}
