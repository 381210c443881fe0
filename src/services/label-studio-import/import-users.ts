import { emailProblem, normalizeEmail } from '#src/domain/email.js';
import type { RowOf } from '#src/ports/label-studio-source.port.js';
import { copyAvatar } from '#src/services/label-studio-import/import-avatars.js';
import type { ImportRun } from '#src/services/label-studio-import/import-run.js';
import { LEGACY_TOKENS, USERS } from '#src/services/label-studio-import/source-tables.js';
import type { NewUser } from '#src/storage/schema.js';

type SourceUser = RowOf<typeof USERS>;

/** Django's mark for "no password": `!` and random characters. Such users cannot log in until one is set. */
const UNUSABLE = '!';

/**
 * Label Studio stamped `last_activity` with the creation time before it allowed NULL; its migration users.0013 clears
 * such stamps (never logged in, within a second of joining). The same rule here, whether or not that job had run.
 */
function lastActivity(user: SourceUser): string | null {
  if (!user.last_activity || user.last_login || !user.date_joined) return user.last_activity;
  return Math.abs(Date.parse(user.last_activity) - Date.parse(user.date_joined)) <= 1000 ? null : user.last_activity;
}

/** The row for a new account: every profile field as Label Studio had it, the password hash as it is. */
async function newUserRow(run: ImportRun, user: SourceUser & { id: number }, id: number, email: string): Promise<NewUser> {
  const password = user.password ?? UNUSABLE;
  if (password.startsWith(UNUSABLE) || password === '') run.report.counts.users.withoutPassword += 1;
  else if (!password.startsWith('pbkdf2_sha256$')) run.warn('password_unusable', `user ${user.id}: ${password.split('$')[0] ?? ''}`);
  if (user.custom_hotkeys && user.custom_hotkeys !== '{}') run.report.counts.hotkeys.users += 1;
  return {
    id,
    email: run.fit(email, 254, `user ${user.id} e-mail`),
    username: run.fit(user.username, 256, `user ${user.id} username`),
    password: run.fit(password || UNUSABLE, 256, `user ${user.id} password`),
    first_name: run.fit(user.first_name, 256, `user ${user.id} first name`),
    last_name: run.fit(user.last_name, 256, `user ${user.id} last name`),
    phone: run.fit(user.phone, 256, `user ${user.id} phone`),
    avatar: await copyAvatar(run, id, user.avatar),
    custom_hotkeys: user.custom_hotkeys ?? '{}',
    is_staff: user.is_staff ?? false,
    is_superuser: user.is_superuser ?? false,
    is_active: user.is_active ?? true,
    allow_newsletters: user.allow_newsletters,
    date_joined: user.date_joined ?? run.now,
    last_login: user.last_login,
    last_activity: lastActivity(user),
    active_organization_id: user.active_organization_id === null ? null : (run.organizations.get(user.active_organization_id) ?? null),
  };
}

/** Legacy API tokens of the new users, sealed the product's way (encrypted, found by keyed hash). */
async function importLegacyTokens(run: ImportRun, created: ReadonlyMap<number, number>): Promise<void> {
  const box = run.deps.secrets.legacyTokens;
  const rows = await run.source.rowsWhereIn(LEGACY_TOKENS, 'user_id', [...created.keys()]);
  const sealed = rows.flatMap((row) => {
    const userId = row.user_id === null ? undefined : created.get(row.user_id);
    return userId === undefined || !row.key ? [] : [{ user_id: userId, lookup_hash: box.lookupHash(row.key), ciphertext: box.encrypt(row.key), created_at: row.created ?? run.now }];
  });
  const holders = await run.repos.legacyTokens.holders(sealed.map((s) => s.lookup_hash));
  const free = sealed.filter((s) => {
    const holder = holders.get(s.lookup_hash);
    if (holder !== undefined && holder !== s.user_id) run.warn('legacy_token_taken', `user ${s.user_id}`);
    return holder === undefined;
  });
  await run.repos.legacyTokens.insertMany(free);
  run.report.counts.legacyTokens.imported += free.length;
}

/**
 * Revocations in Label Studio since an earlier run reach the accounts imported then: a deactivated user is
 * deactivated here, a reset legacy key replaces the old one. Nothing else of theirs is changed.
 */
async function applyRevocations(run: ImportRun, known: ReadonlyArray<readonly [SourceUser, number]>): Promise<void> {
  const { counts } = run.report;
  counts.users.deactivatedSince += await run.repos.users.deactivateMany(known.filter(([user]) => user.is_active === false).map(([, id]) => id));
  const box = run.deps.secrets.legacyTokens;
  const bySource = new Map(known.map(([user, id]) => [user.id ?? 0, id]));
  const current = await run.repos.legacyTokens.lookupsOf([...bySource.values()]);
  for (const row of await run.source.rowsWhereIn(LEGACY_TOKENS, 'user_id', [...bySource.keys()])) {
    const userId = row.user_id === null ? undefined : bySource.get(row.user_id);
    if (userId === undefined || !row.key || current.get(userId) === box.lookupHash(row.key)) continue;
    const holder = await run.repos.legacyTokens.userIdFor(box.lookupHash(row.key));
    if (holder !== undefined) continue;
    await run.repos.legacyTokens.put(userId, box.lookupHash(row.key), box.encrypt(row.key), row.created ?? run.now);
    counts.legacyTokens.replacedSince += 1;
  }
}

/**
 * Users, with their legacy tokens and avatars. Ids are kept where free here. An e-mail already taken here (or by an
 * earlier Label Studio user differing only in case) is a conflict, settled by the policy: skip, merge into that
 * account, or refuse the whole import (every conflict is listed first).
 */
export async function importUsers(run: ImportRun): Promise<void> {
  const { counts } = run.report;
  const ledger = run.repos.labelStudioImport;
  const previous = await ledger.allTargets(run.sourceKey, 'user');
  const merged = await ledger.allTargets(run.sourceKey, 'merged_user');
  for (const [source, target] of [...previous, ...merged]) run.users.set(source, target);
  const allocator = await run.allocator('users', USERS);
  for await (const batch of run.read('users', USERS)) {
    const rows = batch.filter((u): u is SourceUser & { id: number } => u.id !== null);
    const known = rows.flatMap((u) => (previous.has(u.id) ? [[u, previous.get(u.id) ?? 0] as const] : []));
    counts.users.alreadyImported += known.length + rows.filter((u) => merged.has(u.id)).length;
    if (!run.refused) await applyRevocations(run, known);
    const fresh = rows.filter((u) => !previous.has(u.id) && !merged.has(u.id));
    const emails = new Map(fresh.map((u) => [u.id, normalizeEmail(u.email ?? '')]));
    const holders = new Map((await run.repos.users.findByEmails([...emails.values()])).map((h) => [h.email.toLowerCase(), h.id]));
    const ids = await run.placeIds('users', fresh.map((u) => u.id), allocator);
    const created = new Map<number, number>();
    const newRows: NewUser[] = [];
    const mergedPairs: Array<[number, number]> = [];
    for (const user of fresh) {
      const email = emails.get(user.id) ?? '';
      const holder = holders.get(email);
      if (holder !== undefined) {
        const resolution = run.options.onConflict === 'skip' ? 'skipped' : run.options.onConflict === 'merge' ? 'merged' : 'refused';
        run.report.conflicts.push({ labelStudioUserId: user.id, email, existingUserId: holder, resolution });
        if (resolution === 'refused') run.refused = true;
        if (resolution === 'skipped') {
          counts.users.skipped += 1;
          run.warn('email_conflict_skipped', `${email} (Label Studio user ${user.id})`);
        }
        if (resolution === 'merged') {
          counts.users.merged += 1;
          run.warn('email_conflict_merged', `${email}: Label Studio user ${user.id} → user ${holder}`);
          run.users.set(user.id, holder);
          mergedPairs.push([user.id, holder]);
        }
        continue;
      }
      if (emailProblem(email)) run.warn('email_invalid', `user ${user.id}: ${JSON.stringify(email)}`);
      const id = ids.get(user.id) ?? user.id;
      if (id !== user.id) counts.renumbered.users += 1;
      // Two Label Studio users differing only in case: the second meets the first as a conflict.
      holders.set(email, id);
      if (run.refused) continue;
      newRows.push(await newUserRow(run, user, id, email));
      created.set(user.id, id);
      run.users.set(user.id, id);
    }
    if (run.refused) continue;
    await run.repos.users.insertMany(newRows);
    await ledger.record(run.sourceKey, 'user', [...created]);
    await ledger.record(run.sourceKey, 'merged_user', mergedPairs);
    await importLegacyTokens(run, created);
    counts.users.imported += created.size;
  }
}
