import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import { systemContext } from '#src/policies/action-context.js';
import type { RoleCode } from '#src/storage/schema.js';
import { DATABASE_KINDS, skipReason } from '../helpers/databases.js';
import { addToOrganization, buildMember, buildOrganization, buildOwner, type TestUser } from '../helpers/factories.js';
import { runCli } from '../helpers/cli.js';
import { tokenAuth } from '../helpers/http-client.js';
import { jsonOf, operatorCli } from '../helpers/operator-cli.js';
import { useTestServer } from '../helpers/test-server.js';

interface MemberJson {
  id: number;
  email: string;
  username: string;
  first_name: string;
  last_name: string;
  role: RoleCode;
  role_before_deactivation: RoleCode | null;
  organization: number;
  last_activity: string | null;
  date_joined: string;
}

interface LogEntry {
  user_id: number | null;
  request_method: string;
  request_url: string;
  organization_id: number | null;
  extra_data: { action: string; auth_method: string; target_id: number | null; details: Record<string, unknown> };
}

let counter = 0;
const email = (prefix: string) => `${prefix}-${Date.now().toString(36)}-${(counter += 1)}@example.com`;

for (const kind of DATABASE_KINDS) {
  describe(`label-studio users … [${kind}]`, { skip: skipReason(kind) }, () => {
    const fixture = useTestServer(kind);
    const cli = operatorCli(fixture);
    let owner: TestUser;
    let organizationId: number;

    before(async () => {
      owner = await buildOwner(fixture.ctx, { email: 'owner@example.com' });
      organizationId = owner.user.active_organization_id ?? 0;
    });

    const roleOf = async (userId: number, orgId = organizationId) => (await fixture.ctx.repos.memberships.find(userId, orgId))?.role;
    const canLogIn = async (address: string, password: string) =>
      (await fixture.ctx.services.accounts.verifyCredentials(systemContext('test'), address, password)) !== undefined;
    /** The organization's activity log as its owner reads it over HTTP. */
    const logOf = async (orgOwner: TestUser): Promise<LogEntry[]> => {
      const response = await fixture.client().get('/api/activity-logs/?page_size=-1', { headers: tokenAuth(orgOwner.token) });
      assert.equal(response.status, 200, response.text);
      return (response.body as Array<{ data: LogEntry[] }>)[0]?.data ?? [];
    };

    test('list: a table of live members, --json, --role and --search; a bad role code is refused', async () => {
      const ann = await buildMember(fixture.ctx, organizationId, { email: email('list-ann'), firstName: 'Ada', lastName: 'Lovelace' });
      const manager = await buildMember(fixture.ctx, organizationId, { email: email('list-ma'), role: 'MA' });

      const table = cli.run(['users', 'list']);
      assert.equal(table.status, 0, table.stderr);
      assert.match(table.stdout, /^ID\s+EMAIL\s+NAME\s+ROLE\s+LAST ACTIVITY$/m);
      assert.match(table.stdout, new RegExp(`^${ann.user.id}\\s+${ann.email}\\s+Ada Lovelace\\s+AN\\s+never$`, 'm'));
      assert.match(table.stdout, /^\d+\s+owner@example\.com\s+-\s+OW\s/m);

      const all = jsonOf<MemberJson[]>(cli.run(['users', 'list', '--json']));
      assert.ok(all.some((m) => m.email === 'owner@example.com' && m.role === 'OW'));
      const entry = all.find((m) => m.id === ann.user.id);
      assert.deepEqual(entry && { ...entry, date_joined: '' }, {
        id: ann.user.id,
        email: ann.email,
        username: ann.user.username,
        first_name: 'Ada',
        last_name: 'Lovelace',
        role: 'AN',
        role_before_deactivation: null,
        organization: organizationId,
        last_activity: null,
        date_joined: '',
      });

      const managers = jsonOf<MemberJson[]>(cli.run(['users', 'list', '--role', 'ma,OW', '--json']));
      assert.ok(managers.every((m) => m.role === 'MA' || m.role === 'OW'));
      assert.ok(managers.some((m) => m.id === manager.user.id));
      const searched = jsonOf<MemberJson[]>(cli.run(['users', 'list', '--search', 'lovelace', '--json']));
      assert.deepEqual(searched.map((m) => m.id), [ann.user.id]);
      assert.match(cli.run(['users', 'list', '--search', 'nobody-matches-this']).stdout, /No members of "Label Studio" \(organization \d+\) match\./);

      const bad = cli.run(['users', 'list', '--role', 'XX']);
      assert.equal(bad.status, 1);
      assert.equal(bad.stdout, '');
      assert.match(bad.stderr, /^Error: --role: "XX" is not a valid choice\. Use one of: OW, AD, MA, RE, AN, NO, DI\.$/m);
      const unknownOrg = cli.run(['users', 'list', '--organization', '999999']);
      assert.equal(unknownOrg.status, 1);
      assert.match(unknownOrg.stderr, /Organization 999999 not found\./);
    });

    test('create: with --password they can log in; without one they cannot, and it says so', async () => {
      const withPassword = email('create-pw');
      const created = cli.run(['users', 'create', '--username', withPassword.toUpperCase(), '--password', 'Sturdy-Pass-2024', '--first-name', 'Grace', '--role', 'ma']);
      assert.equal(created.status, 0, created.stderr);
      assert.match(created.stdout, new RegExp(`^Created ${withPassword} \\(id \\d+\\) in "Label Studio" \\(organization ${organizationId}\\) as MA\\.$`, 'm'));
      assert.equal(await canLogIn(withPassword, 'Sturdy-Pass-2024'), true);
      const user = await fixture.ctx.services.accounts.findByEmail(withPassword);
      assert.equal(user?.first_name, 'Grace');
      assert.equal(user?.active_organization_id, organizationId);
      assert.equal(await roleOf(user?.id ?? 0), 'MA');

      const without = email('create-nopw');
      const json = cli.run(['users', 'create', '--username', without, '--json']);
      assert.equal(json.status, 0, json.stderr);
      const shown = jsonOf<MemberJson & { can_log_in: boolean }>(json);
      assert.equal(shown.email, without);
      assert.equal(shown.role, 'AN');
      assert.equal(shown.can_log_in, false);
      assert.match(json.stderr, /has no password and cannot log in until one is set: label-studio reset_password/);
      const text = cli.run(['users', 'create', '--username', email('create-text')]);
      assert.match(text.stdout, /has no password and cannot log in until one is set/);
    });

    test('create refuses a weak password, a taken or malformed e-mail, OW, and a missing --username', () => {
      const weak = cli.run(['users', 'create', '--username', email('weak'), '--password', '12345678']);
      assert.equal(weak.status, 1);
      assert.equal(weak.stderr, 'Error: --password: This password is too common.\nError: --password: This password is entirely numeric.\n');
      const taken = cli.run(['users', 'create', '--username', 'OWNER@example.com', '--password', 'Sturdy-Pass-2024']);
      assert.equal(taken.status, 1);
      assert.match(taken.stderr, /^Error: --username: user with this email address already exists\.$/m);
      const malformed = cli.run(['users', 'create', '--username', 'not-an-email']);
      assert.match(malformed.stderr, /^Error: --username: Enter a valid email address\.$/m);
      const ownerRole = cli.run(['users', 'create', '--username', email('ow'), '--role', 'OW']);
      assert.equal(ownerRole.status, 1);
      assert.match(ownerRole.stderr, /--role: There is one owner: make someone the owner by transferring ownership\.\nMake someone the owner with: label-studio users transfer-ownership --to <email>\./);
      const missing = cli.run(['users', 'create']);
      assert.equal(missing.status, 1);
      assert.match(missing.stderr, /^Error: --username <email> is required\.$/m);
    });

    test('create asks for the password at a terminal, twice, and never shows it', async () => {
      const address = email('create-tty');
      const secret = 'Typed-In-Secret-42';
      const result = await cli.inTerminal(['users', 'create', '--username', address], [
        { prompt: `Password for ${address} (Enter for none): `, reply: secret },
        { prompt: 'Password again: ', reply: secret },
      ]);
      assert.equal(result.status, 0, result.stdout);
      assert.match(result.stdout, new RegExp(`Created ${address}`));
      assert.ok(!result.stdout.includes(secret), `the terminal showed the password: ${JSON.stringify(result.stdout)}`);
      assert.equal(await canLogIn(address, secret), true);

      const mismatch = email('create-mismatch');
      const refused = await cli.inTerminal(['users', 'create', '--username', mismatch], [
        { prompt: 'Enter for none): ', reply: 'First-Secret-42' },
        { prompt: 'Password again: ', reply: 'Second-Secret-42' },
      ]);
      assert.equal(refused.status, 1);
      assert.match(refused.stdout, /The passwords do not match: nothing was created\./);
      assert.equal(await fixture.ctx.services.accounts.findByEmail(mismatch), undefined);
    });

    test('set-role, deactivate and activate change the role, with --json; repeating changes nothing', async () => {
      const member = await buildMember(fixture.ctx, organizationId, { email: email('roles') });
      const changed = cli.run(['users', 'set-role', '--username', member.email, '--role', 'RE']);
      assert.equal(changed.status, 0, changed.stderr);
      assert.match(changed.stdout, /^Changed the role of .+ in "Label Studio" \(organization \d+\): AN -> RE\.$/m);
      assert.equal(await roleOf(member.user.id), 'RE');
      const again = jsonOf<MemberJson & { previous_role: RoleCode; changed: boolean }>(cli.run(['users', 'set-role', '--username', member.email, '--role', 'RE', '--json']));
      assert.deepEqual([again.role, again.previous_role, again.changed], ['RE', 'RE', false]);

      const off = jsonOf<MemberJson & { previous_role: RoleCode; changed: boolean }>(cli.run(['users', 'deactivate', '--username', member.email, '--json']));
      assert.deepEqual([off.role, off.previous_role, off.changed, off.role_before_deactivation], ['DI', 'RE', true, 'RE']);
      assert.equal(await roleOf(member.user.id), 'DI');
      // A deactivated member's token is refused from their next request.
      assert.equal((await fixture.client().get('/api/current-user/whoami', { headers: tokenAuth(member.token) })).status, 403);
      const listedOff = jsonOf<MemberJson[]>(cli.run(['users', 'list', '--role', 'DI', '--json'])).find((m) => m.id === member.user.id);
      assert.equal(listedOff?.role_before_deactivation, 'RE', '`users list` shows the kept role');

      // Without --role: the role they had before deactivation.
      const on = cli.run(['users', 'activate', '--username', member.email]);
      assert.equal(on.status, 0, on.stderr);
      assert.match(on.stdout, /Activated .+: DI -> RE\./);
      assert.equal(await roleOf(member.user.id), 'RE');
      assert.equal((await fixture.client().get('/api/current-user/whoami', { headers: tokenAuth(member.token) })).status, 200);
      const noop = cli.run(['users', 'activate', '--username', member.email, '--role', 'AD']);
      assert.match(noop.stdout, /is already active \(RE\) .*: nothing changed\./);
      assert.equal(await roleOf(member.user.id), 'RE', 'activating an active member never changes their role');

      // With --role: that role, whatever was kept; and nothing stays kept.
      cli.run(['users', 'deactivate', '--username', member.email]);
      const asManager = jsonOf<MemberJson & { previous_role: RoleCode }>(cli.run(['users', 'activate', '--username', member.email, '--role', 'MA', '--json']));
      assert.deepEqual([asManager.role, asManager.previous_role, asManager.role_before_deactivation], ['MA', 'DI', null]);
      const stored = await fixture.ctx.repos.memberships.find(member.user.id, organizationId);
      assert.equal(stored?.role_before_deactivation, null);
    });

    test('activate without --role: Annotator when nothing was kept (a pending member, a deactivation from before)', async () => {
      const pending = await buildMember(fixture.ctx, organizationId, { email: email('pending'), role: 'NO' });
      assert.match(cli.run(['users', 'activate', '--username', pending.email]).stdout, /Activated .+: NO -> AN\./);
      const old = await buildMember(fixture.ctx, organizationId, { email: email('old-di'), role: 'DI' });
      assert.match(cli.run(['users', 'activate', '--username', old.email]).stdout, /Activated .+: DI -> AN\./);
      // A member deactivated through the API comes back from the CLI as what they were.
      const admin = await buildMember(fixture.ctx, organizationId, { email: email('api-admin'), role: 'AD' });
      const res = await fixture.client().patch(`/api/organizations/${organizationId}/memberships`, { headers: tokenAuth(owner.token), json: { user_id: admin.user.id, role: 'DI' } });
      assert.equal(res.status, 200, res.text);
      assert.match(cli.run(['users', 'activate', '--username', admin.email]).stdout, /Activated .+: DI -> AD\./);
      assert.equal(await roleOf(admin.user.id), 'AD');
    });

    test('set-role, deactivate and activate refuse OW, the owner, unknown people and bad codes', async () => {
      const member = await buildMember(fixture.ctx, organizationId, { email: email('refusals') });
      const cases: Array<[string[], RegExp]> = [
        [['users', 'set-role', '--username', member.email, '--role', 'OW'], /--role: There is one owner: make someone the owner by transferring ownership\./],
        [['users', 'set-role', '--username', member.email, '--role', 'ZZ'], /--role: "ZZ" is not a valid choice\. Use one of: AD, MA, RE, AN, NO, DI\./],
        [['users', 'set-role', '--username', owner.email, '--role', 'AD'], /The owner's role changes only by transferring ownership\.\nHand the organization over first: label-studio users transfer-ownership --to <email>\./],
        [['users', 'deactivate', '--username', owner.email], /The owner's role changes only by transferring ownership\./],
        [['users', 'set-role', '--username', 'ghost@example.com', '--role', 'AN'], /^Error: No user with the e-mail ghost@example\.com\.$/m],
        [['users', 'deactivate', '--username', 'ghost@example.com'], /No user with the e-mail ghost@example\.com\./],
        [['users', 'activate', '--username', member.email, '--role', 'DI'], /--role: "DI" is not a valid choice\. Use one of: AD, MA, RE, AN\./],
        [['users', 'set-role', '--username', member.email], /--role <code> is required\./],
      ];
      for (const [args, message] of cases) {
        const result = cli.run(args);
        assert.equal(result.status, 1, args.join(' '));
        assert.equal(result.stdout, '', args.join(' '));
        assert.match(result.stderr, message, args.join(' '));
      }
      assert.equal(await roleOf(owner.user.id), 'OW');
      assert.equal(await roleOf(member.user.id), 'AN');
    });

    test('delete --yes erases the account as Deleted User; --json', async () => {
      const member = await buildMember(fixture.ctx, organizationId, { email: email('delete'), firstName: 'Gone' });
      const result = cli.run(['users', 'delete', '--username', member.email, '--yes']);
      assert.equal(result.status, 0, result.stderr);
      assert.match(result.stdout, /^Deleted .+ \(id \d+\): their work stays as Deleted User\.$/m);
      const row = await fixture.ctx.services.accounts.getById(member.user.id);
      assert.match(row.email, /@deleted\.invalid$/);
      assert.equal(row.is_active, false);
      assert.equal(row.first_name, '');
      assert.notEqual((await fixture.ctx.repos.memberships.find(member.user.id, organizationId))?.deleted_at, null);
      assert.equal(await canLogIn(member.email, member.password), false);

      const other = await buildMember(fixture.ctx, organizationId, { email: email('delete-json') });
      const json = jsonOf<{ id: number; email: string; organization: number; deleted: boolean }>(cli.run(['users', 'delete', '--username', other.email, '--yes', '--json']));
      assert.deepEqual(json, { id: other.user.id, email: other.email, organization: organizationId, deleted: true });
    });

    test('delete refuses the owner, someone another organization has, and — without a terminal — anyone without --yes', async () => {
      const ownerResult = cli.run(['users', 'delete', '--username', owner.email, '--yes']);
      assert.equal(ownerResult.status, 1);
      assert.match(ownerResult.stderr, /The organization owner cannot be deleted\nHand the organization over first/);

      const shared = await buildMember(fixture.ctx, organizationId, { email: email('shared') });
      const { organizationId: elsewhere } = await buildOrganization(fixture.ctx, { email: email('elsewhere-owner') });
      await addToOrganization(fixture.ctx, elsewhere, shared.user.id);
      const sharedResult = cli.run(['users', 'delete', '--username', shared.email, '--yes']);
      assert.equal(sharedResult.status, 1);
      assert.match(sharedResult.stderr, /This user is a member of another organization and cannot be deleted from here\./);

      const member = await buildMember(fixture.ctx, organizationId, { email: email('no-yes') });
      const unconfirmed = cli.run(['users', 'delete', '--username', member.email]);
      assert.equal(unconfirmed.status, 1);
      assert.equal(unconfirmed.stderr, `Error: Not deleting ${member.email} without confirmation: no terminal to ask in. Pass --yes to confirm.\n`);
      const unknown = cli.run(['users', 'delete', '--username', 'ghost@example.com', '--yes']);
      assert.equal(unknown.status, 1);
      assert.match(unknown.stderr, /No user with the e-mail ghost@example\.com\./);
      for (const user of [owner, shared, member]) assert.equal((await fixture.ctx.services.accounts.getById(user.user.id)).email, user.email);
    });

    test('delete asks at a terminal: anything but y keeps them, y deletes', async () => {
      const member = await buildMember(fixture.ctx, organizationId, { email: email('tty-delete') });
      const question = `Delete ${member.email} for good? Their work stays as Deleted User. [y/N] `;
      const kept = await cli.inTerminal(['users', 'delete', '--username', member.email], [{ prompt: question, reply: '' }]);
      assert.equal(kept.status, 1, kept.stdout);
      assert.match(kept.stdout, /Not deleted: .+ stays\./);
      assert.equal((await fixture.ctx.services.accounts.getById(member.user.id)).email, member.email);

      const deleted = await cli.inTerminal(['users', 'delete', '--username', member.email], [{ prompt: question, reply: 'y' }]);
      assert.equal(deleted.status, 0, deleted.stdout);
      assert.match(deleted.stdout, /Deleted .+: their work stays as Deleted User\./);
      assert.match((await fixture.ctx.services.accounts.getById(member.user.id)).email, /@deleted\.invalid$/);
    });

    test('transfer-ownership in another organization: confirmed, one owner, the old one an administrator', async () => {
      const { owner: first, organizationId: orgId } = await buildOrganization(fixture.ctx, { email: email('first-owner'), title: 'Second org' });
      const next = await buildMember(fixture.ctx, orgId, { email: email('next-owner'), role: 'MA' });
      const pending = await buildMember(fixture.ctx, orgId, { email: email('pending'), role: 'NO' });
      const at = ['--organization', String(orgId)];

      const unconfirmed = cli.run(['users', 'transfer-ownership', '--to', next.email, ...at]);
      assert.equal(unconfirmed.status, 1);
      assert.match(unconfirmed.stderr, /Not transferring ownership to .+ without confirmation: no terminal to ask in\. Pass --yes to confirm\./);
      const toPending = cli.run(['users', 'transfer-ownership', '--to', pending.email, '--yes', ...at]);
      assert.equal(toPending.status, 1);
      assert.match(toPending.stderr, /--to: Ownership can only go to an active member: reactivate or approve them first\./);
      const toOwner = cli.run(['users', 'transfer-ownership', '--to', first.email, '--yes', ...at]);
      assert.match(toOwner.stderr, /--to: .+ already owns "Second org" \(organization \d+\)\./);
      const notMember = cli.run(['users', 'transfer-ownership', '--to', owner.email, '--yes', ...at]);
      assert.match(notMember.stderr, /owner@example\.com is not a member of "Second org"/);

      const question = `Make ${next.email} the owner of "Second org" (organization ${orgId})? ${first.email} becomes an administrator. [y/N] `;
      const declined = await cli.inTerminal(['users', 'transfer-ownership', '--to', next.email, ...at], [{ prompt: question, reply: 'n' }]);
      assert.equal(declined.status, 1, declined.stdout);
      assert.equal(await roleOf(first.user.id, orgId), 'OW');
      const done = await cli.inTerminal(['users', 'transfer-ownership', '--to', next.email, ...at], [{ prompt: question, reply: 'yes' }]);
      assert.equal(done.status, 0, done.stdout);
      assert.match(done.stdout, /now owns "Second org" \(organization \d+\); .+ is an administrator\./);
      assert.deepEqual([await roleOf(next.user.id, orgId), await roleOf(first.user.id, orgId)], ['OW', 'AD']);
      assert.equal((await fixture.ctx.repos.organizations.findById(orgId))?.created_by_id, next.user.id);

      const back = jsonOf<{ organization: number; owner: MemberJson; previous_owner: MemberJson }>(
        cli.run(['users', 'transfer-ownership', '--to', first.email, '--yes', '--json', ...at]),
      );
      assert.deepEqual([back.organization, back.owner.email, back.owner.role, back.previous_owner.email, back.previous_owner.role], [orgId, first.email, 'OW', next.email, 'AD']);
      const owners = jsonOf<MemberJson[]>(cli.run(['users', 'list', '--role', 'OW', '--json', ...at]));
      assert.deepEqual(owners.map((m) => m.email), [first.email], 'exactly one owner');
    });

    test('every change is in the organization activity log as the CLI: no actor, auth method cli, the command as URL', async () => {
      const address = email('audited');
      assert.equal(cli.run(['users', 'create', '--username', address, '--password', 'Sturdy-Pass-2024']).status, 0);
      const user = await fixture.ctx.services.accounts.findByEmail(address);
      assert.ok(user);
      const commands = [
        ['users', 'set-role', '--username', address, '--role', 'MA'],
        ['users', 'deactivate', '--username', address],
        ['users', 'activate', '--username', address],
        ['users', 'delete', '--username', address, '--yes'],
      ];
      for (const args of commands) assert.equal(cli.run(args).status, 0, args.join(' '));

      const entries = (await logOf(owner)).filter((entry) => entry.extra_data.target_id === user.id).reverse();
      assert.deepEqual(
        entries.map((entry) => [entry.extra_data.action, entry.request_url]),
        [
          ['user.created', 'label-studio users create'],
          ['member.role_changed', 'label-studio users set-role'],
          ['member.deactivated', 'label-studio users deactivate'],
          ['member.reactivated', 'label-studio users activate'],
          ['user.deleted', 'label-studio users delete'],
        ],
      );
      for (const entry of entries) {
        assert.equal(entry.extra_data.auth_method, 'cli');
        assert.equal(entry.request_method, 'CLI');
        assert.equal(entry.user_id, null);
        assert.equal(entry.organization_id, organizationId);
        assert.ok(!JSON.stringify(entry).includes('Sturdy-Pass-2024'), 'no secret in the log');
      }
      assert.deepEqual(entries[1]?.extra_data.details, { role: { before: 'AN', after: 'MA' } });
      assert.deepEqual(entries[3]?.extra_data.details, { role: { before: 'DI', after: 'MA' } }, 'reactivated as what they were');
      assert.deepEqual(entries[4]?.extra_data.details, { email: address, role: 'MA' });
    });
  });
}

describe('label-studio users/audit (no database)', () => {
  test('--help lists users and audit; each lists its subcommands', () => {
    const help = runCli(['--help']);
    for (const command of ['users', 'audit']) assert.match(help.stdout, new RegExp(`^  ${command}\\b`, 'm'), `${command} missing from --help`);
    const users = runCli(['users', '--help']);
    for (const sub of ['list', 'create', 'set-role', 'deactivate', 'activate', 'delete', 'transfer-ownership']) {
      assert.match(users.stdout, new RegExp(`^  ${sub}\\b`, 'm'), `users ${sub} missing from its help`);
    }
    const audit = runCli(['audit', '--help']);
    for (const sub of ['export', 'purge']) assert.match(audit.stdout, new RegExp(`^  ${sub}\\b`, 'm'), `audit ${sub} missing from its help`);
  });
});
