import type { ImportReport } from '#src/services/label-studio-import.service.js';

const line = (label: string, text: string): string => `  ${label.padEnd(24)}${text}\n`;

const plural = (n: number, one: string, many = `${one}s`): string => `${n} ${n === 1 ? one : many}`;

function personalTokens(report: ImportReport): string {
  const pats = report.counts.personalAccessTokens;
  const since = `${pats.revokedSince > 0 ? `, ${pats.revokedSince} revoked since the last run` : ''}${pats.rekeyed > 0 ? `, ${pats.rekeyed} now recognised with the key given` : ''}`;
  if (report.secretKey.given) return `${pats.kept} kept (they keep refreshing), ${pats.blacklisted} blacklisted (stay refused)${since}`;
  if (report.patsMustBeReissued) {
    return `NOT carried over: ${plural(pats.notCarried, 'live token')} must be re-issued by their owners (give --secret-key or --secret-key-file to keep them)${since}`;
  }
  return `none to carry over${since}`;
}

/** The import report as a person reads it. */
export function summaryText(report: ImportReport): string {
  const c = report.counts;
  const head =
    report.outcome === 'dry-run'
      ? `Dry run of an import from ${report.source.description}: nothing was written.\n`
      : report.outcome === 'refused'
        ? `Import from ${report.source.description} refused: nothing was written.\n`
        : `Imported from ${report.source.description}.\n`;
  let out = head;
  out += line('users', `${c.users.imported} imported, ${c.users.merged} merged, ${c.users.skipped} skipped, ${c.users.alreadyImported} already imported (${c.users.withoutPassword} without a password)`);
  if (c.users.deactivatedSince > 0) out += line('', `${c.users.deactivatedSince} deactivated in Label Studio since the last run: deactivated here`);
  out += line('organizations', `${c.organizations.imported} imported, ${c.organizations.alreadyImported} already imported`);
  out += line('members', `${c.memberships.imported} imported (${c.memberships.removed} removed members stay removed), ${c.memberships.alreadyImported} already imported, ${c.memberships.removedSince} removed since the last run`);
  out += line('legacy API tokens', `${c.legacyTokens.imported} imported (the same keys keep working), ${c.legacyTokens.replacedSince} reset in Label Studio since the last run`);
  out += line('personal access tokens', personalTokens(report));
  out += line('avatars', `${c.avatars.copied} copied, ${c.avatars.missing} missing, ${c.avatars.rejected} rejected`);
  out += line('hotkeys', `${plural(c.hotkeys.users, 'user')} with their own, ${plural(c.hotkeys.projectOverrides, 'project override')}`);
  out += line('projects', `${c.projects.imported} imported, ${c.projects.alreadyImported} already imported`);
  out += line('tasks', `${c.tasks.imported} imported`);
  out += line('annotations', `${c.annotations.imported} imported`);
  const renumbered = Object.entries(c.renumbered).filter(([, n]) => n > 0);
  if (renumbered.length > 0) out += line('new ids', `${renumbered.map(([table, n]) => `${n} ${table}`).join(', ')} (their ids were taken here)`);
  if (report.conflicts.length > 0) {
    out += `\nE-mails that already belong to an account here (${report.conflicts.length}):\n`;
    for (const conflict of report.conflicts.slice(0, 50)) {
      out += `  ${conflict.email}: Label Studio user ${conflict.labelStudioUserId}, user ${conflict.existingUserId} here — ${conflict.resolution}\n`;
    }
    if (report.conflicts.length > 50) out += `  … and ${report.conflicts.length - 50} more (--json lists them all)\n`;
  }
  if (report.outcome === 'refused') {
    out +=
      '\nRun again with --on-conflict skip (leave those Label Studio users out) or --on-conflict merge (their ' +
      'organizations, tokens and work join the existing accounts, which keep their password and profile).\n';
  }
  if (report.warnings.length > 0) {
    out += '\nWarnings:\n';
    for (const warning of report.warnings) out += `  - ${warning.message}: ${warning.count} (e.g. ${warning.examples.join('; ')})\n`;
  }
  out += `\nDone in ${report.seconds} s.\n`;
  return out;
}
