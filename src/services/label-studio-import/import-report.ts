/** What an import did (or, in a dry run, would do): the summary the CLI prints as text or JSON. */

/** Things worth a person's attention, each counted with a few examples. */
export const WARNING_TEXT = {
  email_conflict_skipped: 'Label Studio users not imported: an account here has their e-mail (--on-conflict skip)',
  email_conflict_merged: 'Label Studio users merged into the account here with their e-mail (--on-conflict merge): its password, profile and API token stay',
  email_invalid: 'e-mails this server would refuse at sign-up, imported as they are',
  password_unusable: 'users whose password hash this server cannot check (not pbkdf2_sha256): they must reset their password',
  legacy_token_taken: 'legacy API tokens not imported: the same key belongs to another account here',
  avatar_missing: 'avatar files not found in the media folder (the user has no avatar here)',
  avatar_rejected: 'avatars not copied: not a readable JPEG, GIF or PNG, or larger than 1200x1200 pixels or 1 MiB',
  value_truncated: "values longer than this server's column allows, shortened",
  invite_token_new: 'organizations given a new invite link (none in Label Studio, or its token is taken here)',
  role_unknown: 'member roles this server does not have, imported as the default role',
  owner_assigned: 'organizations whose creator is gone in Label Studio: their oldest member was made owner',
  membership_duplicate: 'duplicate membership rows (same user and organization), kept once',
  membership_orphan: 'memberships of users or organizations not imported',
  pat_expired: 'expired personal access tokens, not imported',
  pat_orphan: 'personal access tokens of users not imported',
  secret_key_mismatch: 'the given SECRET_KEY does not sign a token Label Studio stored in full: imported PATs will be refused',
  project_deleted: 'projects soft-deleted in Label Studio (waiting for purge), not imported with their tasks and annotations',
  project_orphan: 'projects without an imported organization, not imported',
  task_orphan: 'tasks whose project was not imported',
  annotation_orphan: 'annotations whose task was not imported',
  hotkeys_orphan: 'project hotkey overrides of users or projects not imported',
} as const;

export type WarningKind = keyof typeof WARNING_TEXT;

const EXAMPLES_KEPT = 5;

export interface ImportWarning {
  kind: WarningKind;
  message: string;
  count: number;
  examples: string[];
}

export interface EmailConflict {
  labelStudioUserId: number;
  email: string;
  /** The account here holding the e-mail. */
  existingUserId: number;
  resolution: 'skipped' | 'merged' | 'refused';
}

export type ImportOutcome = 'imported' | 'dry-run' | 'refused';

export interface ImportCounts {
  users: { imported: number; merged: number; skipped: number; alreadyImported: number; withoutPassword: number; deactivatedSince: number };
  organizations: { imported: number; alreadyImported: number };
  memberships: { imported: number; removed: number; alreadyImported: number; removedSince: number };
  legacyTokens: { imported: number; replacedSince: number };
  /** `rekeyed`: imported before under another key, recognised now with the one given (a re-run correcting the key). */
  personalAccessTokens: { kept: number; blacklisted: number; notCarried: number; revokedSince: number; rekeyed: number };
  avatars: { copied: number; missing: number; rejected: number };
  hotkeys: { users: number; projectOverrides: number };
  projects: { imported: number; alreadyImported: number };
  tasks: { imported: number };
  annotations: { imported: number };
  /** Rows whose id was taken here and that got a new one. */
  renumbered: { users: number; organizations: number; memberships: number; projects: number; tasks: number; annotations: number };
}

export interface ImportReport {
  outcome: ImportOutcome;
  source: { engine: string; description: string; installation: string };
  secretKey: { given: boolean; from: string | null };
  /** True when the source has live PATs that could not come over (no secret key): their owners must create new ones. */
  patsMustBeReissued: boolean;
  counts: ImportCounts;
  conflicts: EmailConflict[];
  warnings: ImportWarning[];
  seconds: number;
}

const zeroCounts = (): ImportCounts => ({
  users: { imported: 0, merged: 0, skipped: 0, alreadyImported: 0, withoutPassword: 0, deactivatedSince: 0 },
  organizations: { imported: 0, alreadyImported: 0 },
  memberships: { imported: 0, removed: 0, alreadyImported: 0, removedSince: 0 },
  legacyTokens: { imported: 0, replacedSince: 0 },
  personalAccessTokens: { kept: 0, blacklisted: 0, notCarried: 0, revokedSince: 0, rekeyed: 0 },
  avatars: { copied: 0, missing: 0, rejected: 0 },
  hotkeys: { users: 0, projectOverrides: 0 },
  projects: { imported: 0, alreadyImported: 0 },
  tasks: { imported: 0 },
  annotations: { imported: 0 },
  renumbered: { users: 0, organizations: 0, memberships: 0, projects: 0, tasks: 0, annotations: 0 },
});

/** Collects counts, conflicts and warnings while an import runs; conflicts are kept in full, warnings as samples. */
export class ReportBuilder {
  readonly counts = zeroCounts();
  readonly conflicts: EmailConflict[] = [];
  readonly #warnings = new Map<WarningKind, ImportWarning>();

  warn(kind: WarningKind, example: string, count = 1): void {
    const warning = this.#warnings.get(kind) ?? { kind, message: WARNING_TEXT[kind], count: 0, examples: [] };
    warning.count += count;
    if (warning.examples.length < EXAMPLES_KEPT) warning.examples.push(example);
    this.#warnings.set(kind, warning);
  }

  finish(fields: Omit<ImportReport, 'counts' | 'conflicts' | 'warnings'>): ImportReport {
    return { ...fields, counts: this.counts, conflicts: this.conflicts, warnings: [...this.#warnings.values()] };
  }
}
