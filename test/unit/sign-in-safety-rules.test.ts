import assert from 'node:assert/strict';
import { test } from 'node:test';
import { resolveConfig } from '#src/config.js';
import { AddressList, clientKey, plainAddress } from '#src/domain/network-address.js';
import { REDACTED, redactSecrets } from '#src/domain/audit.js';
import { describeDevice } from '#src/domain/user-agent.js';
import { AppError } from '#src/errors.js';

const problemsOf = (env: Record<string, string>): string => {
  try {
    resolveConfig({}, env);
  } catch (error) {
    if (error instanceof AppError) return error.detail;
    throw error;
  }
  return '';
};

test('login limits: documented defaults, each variable read, 0 turns a limit off, nonsense refused', () => {
  assert.deepEqual(resolveConfig({}, {}).login, { accountFailures: 10, addressFailures: 100, lockoutSeconds: 900, delayAfter: 3 });
  const tuned = resolveConfig({}, {
    LABEL_STUDIO_LOGIN_LOCKOUT_FAILURES: '5',
    LABEL_STUDIO_LOGIN_ADDRESS_LOCKOUT_FAILURES: '0',
    LABEL_STUDIO_LOGIN_LOCKOUT_MINUTES: '60',
    LABEL_STUDIO_LOGIN_DELAY_AFTER: '0',
  }).login;
  assert.deepEqual(tuned, { accountFailures: 5, addressFailures: 0, lockoutSeconds: 3600, delayAfter: 0 });
  const problems = problemsOf({ LABEL_STUDIO_LOGIN_LOCKOUT_FAILURES: 'ten', LABEL_STUDIO_LOGIN_LOCKOUT_MINUTES: '0', LABEL_STUDIO_LOGIN_DELAY_AFTER: '-1' });
  assert.match(problems, /LABEL_STUDIO_LOGIN_LOCKOUT_FAILURES must be a whole number/);
  assert.match(problems, /LABEL_STUDIO_LOGIN_LOCKOUT_MINUTES must be at least 1/);
  assert.match(problems, /LABEL_STUDIO_LOGIN_DELAY_AFTER must be a whole number/);
});

test('proxy sign-in: off by default; the header and the proxy addresses come together or not at all', () => {
  assert.deepEqual(resolveConfig({}, {}).proxyAuth, { header: undefined, addresses: [] });
  const on = resolveConfig({}, { LABEL_STUDIO_PROXY_AUTH_HEADER: 'X-Forwarded-Email', LABEL_STUDIO_PROXY_AUTH_ADDRESSES: '10.0.0.2, fd00::/8' });
  assert.deepEqual(on.proxyAuth, { header: 'x-forwarded-email', addresses: ['10.0.0.2', 'fd00::/8'] });
  assert.match(problemsOf({ LABEL_STUDIO_PROXY_AUTH_HEADER: 'X-Forwarded-Email' }), /needs LABEL_STUDIO_PROXY_AUTH_ADDRESSES/);
  assert.match(problemsOf({ LABEL_STUDIO_PROXY_AUTH_ADDRESSES: '10.0.0.2' }), /needs LABEL_STUDIO_PROXY_AUTH_HEADER/);
  const both = problemsOf({ LABEL_STUDIO_PROXY_AUTH_HEADER: 'X Email', LABEL_STUDIO_PROXY_AUTH_ADDRESSES: 'proxy.local' });
  assert.match(both, /LABEL_STUDIO_PROXY_AUTH_HEADER must be a header name/);
  assert.match(both, /"proxy.local" is not an address or CIDR range/);
});

test('addresses: IPv4 on a dual-stack socket is the IPv4 address; IPv6 clients count by their /64', () => {
  assert.equal(plainAddress('::ffff:127.0.0.1'), '127.0.0.1');
  assert.equal(clientKey('::ffff:203.0.113.9'), '203.0.113.9');
  assert.equal(clientKey('2001:db8:1:2:aaaa::1'), '2001:db8:1:2::/64');
  assert.equal(clientKey('2001:DB8:1:2:ffff:ffff:ffff:ffff'), clientKey('2001:db8:1:2::9'));
  assert.notEqual(clientKey('2001:db8:1:3::1'), clientKey('2001:db8:1:2::1'));
  assert.equal(clientKey('::1'), '0:0:0:0::/64');
});

test('address lists: single addresses and CIDR ranges of both families; anything else matches nothing', () => {
  const list = new AddressList(['127.0.0.1', '10.1.0.0/16', 'fd00::/8']);
  assert.equal(list.size, 3);
  for (const yes of ['127.0.0.1', '::ffff:127.0.0.1', '10.1.200.3', 'fd12::5']) assert.ok(list.includes(yes), yes);
  for (const no of ['127.0.0.2', '10.2.0.1', 'fe80::1', '', undefined, 'not-an-address']) assert.equal(list.includes(no), false, String(no));
  assert.equal(new AddressList([]).includes('127.0.0.1'), false);
});

test('devices are named from the user agent the way a person recognises them', () => {
  const cases: Array<[string | null, string]> = [
    ['Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36', 'Chrome on Linux'],
    ['Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:128.0) Gecko/20100101 Firefox/128.0', 'Firefox on Windows'],
    ['Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36 Edg/126.0.0.0', 'Edge on Windows'],
    ['Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1', 'Safari on iPhone'],
    ['Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Safari/605.1.15', 'Safari on macOS'],
    ['curl/8.5.0', 'curl'],
    [null, 'Unknown device'],
    ['', 'Unknown device'],
  ];
  for (const [agent, device] of cases) assert.equal(describeDevice(agent), device, String(agent));
});

test('the activity log redacts session ids and other secrets, not the session policy or counts of sessions', () => {
  const details = { session_id: 'abc', sessionid: 'abc', session_key: 'k', new_password: 'p', changes: { max_session_age: { before: 1, after: 2 } }, sessions_ended: 2 };
  assert.deepEqual(redactSecrets(details), {
    session_id: REDACTED,
    sessionid: REDACTED,
    session_key: REDACTED,
    new_password: REDACTED,
    changes: { max_session_age: { before: 1, after: 2 } },
    sessions_ended: 2,
  });
});
