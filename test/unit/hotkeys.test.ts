import assert from 'node:assert/strict';
import { test } from 'node:test';
import { hotkeysProblem, parseStoredHotkeys } from '#src/domain/hotkeys.js';
import { avatarProblem, storedAvatarName } from '#src/services/avatar.service.js';
import { solidPng } from '../helpers/png.js';

const ok = (key: string, extra: Record<string, unknown> = {}) => ({ 'editor:save': { key, ...extra } });

test('valid maps: empty, optional active, extra fields, 200 entries', () => {
  assert.equal(hotkeysProblem({}), null);
  assert.equal(hotkeysProblem(ok('ctrl+s')), null);
  assert.equal(hotkeysProblem(ok('ctrl+shift+s', { active: false, description: 'kept' })), null);
  assert.equal(hotkeysProblem(ok('[')), null);
  const many = Object.fromEntries(Array.from({ length: 200 }, (_, i) => [`s:a${i}`, { key: 'x' }]));
  assert.equal(hotkeysProblem(many), null);
});

test('the map itself: not null, a dictionary, at most 200 entries', () => {
  assert.equal(hotkeysProblem(null), 'This field may not be null.');
  assert.equal(hotkeysProblem([]), 'Expected a dictionary of items but got type "list".');
  assert.equal(hotkeysProblem('ctrl+s'), 'Expected a dictionary of items but got type "str".');
  assert.equal(hotkeysProblem(5), 'Expected a dictionary of items but got type "int".');
  const many = Object.fromEntries(Array.from({ length: 201 }, (_, i) => [`s:a${i}`, { key: 'x' }]));
  assert.equal(hotkeysProblem(many), 'Cannot define more than 200 custom hotkeys');
});

test('action keys: non-empty, at most 100 characters, section:action with both parts', () => {
  assert.equal(hotkeysProblem({ '': { key: 'a' } }), "Action key '' must be a non-empty string");
  const long = `s:${'a'.repeat(99)}`;
  assert.equal(hotkeysProblem({ [long]: { key: 'a' } }), `Action key '${long}' is too long (max 100 characters)`);
  assert.equal(hotkeysProblem({ [`s:${'é'.repeat(98)}`]: { key: 'a' } }), null, 'lengths count characters, not UTF-16 units');
  assert.equal(hotkeysProblem({ save: { key: 'a' } }), "Action key 'save' must be in 'section:action' format");
  assert.equal(hotkeysProblem({ ' :save': { key: 'a' } }), "Action key ' :save' must have non-empty section and action parts");
  assert.equal(hotkeysProblem({ 'editor: ': { key: 'a' } }), "Action key 'editor: ' must have non-empty section and action parts");
});

test('hotkey data: a dictionary with a non-empty key of at most 50 characters and a boolean active', () => {
  assert.equal(hotkeysProblem({ 'e:s': 'ctrl+s' }), "Hotkey data for 'e:s' must be a dictionary");
  assert.equal(hotkeysProblem({ 'e:s': { active: true } }), "Missing 'key' in hotkey data for 'e:s'");
  assert.equal(hotkeysProblem({ 'e:s': { key: '' } }), "Key combination for 'e:s' must be a non-empty string");
  assert.equal(hotkeysProblem({ 'e:s': { key: 5 } }), "Key combination for 'e:s' must be a non-empty string");
  assert.equal(hotkeysProblem({ 'e:s': { key: 'a'.repeat(51) } }), "Key combination for 'e:s' is too long (max 50 characters)");
  assert.equal(hotkeysProblem({ 'e:s': { key: 'a', active: 'yes' } }), "Active flag for 'e:s' must be a boolean");
});

test('blocked system shortcuts, compared case-insensitively and trimmed', () => {
  for (const combo of ['ctrl+alt+delete', 'Alt+F4', ' CMD+TAB ', 'cmd+space', 'ctrl+shift+esc']) {
    assert.equal(hotkeysProblem({ 'e:s': { key: combo } }), `Key combination '${combo}' is not allowed for security reasons`);
  }
  assert.equal(hotkeysProblem({ 'e:s': { key: 'ctrl+alt+del' } }), null);
});

test('characters and modifiers', () => {
  assert.equal(hotkeysProblem({ 'e:s': { key: 'ctrl+<script>' } }), null, 'printable punctuation is allowed');
  assert.equal(hotkeysProblem({ 'e:s': { key: 'ctrl+é' } }), "Key combination 'ctrl+é' for 'e:s' contains invalid characters");
  assert.equal(hotkeysProblem({ 'e:s': { key: 'ctrl+\u0000' } }), "Key combination 'ctrl+\u0000' for 'e:s' contains invalid characters");
  const word = 'x'.repeat(21);
  assert.equal(hotkeysProblem({ 'e:s': { key: `${word}+a` } }), `Invalid modifier or key '${word}' in key combination '${word}+a'`);
  assert.equal(hotkeysProblem({ 'e:s': { key: `a+${word}` } }), null, 'the last part is the key, not a modifier');
  assert.equal(hotkeysProblem({ 'e:s': { key: `${'x'.repeat(20)}+a` } }), null);
});

test('stored maps that no longer validate read as {}', () => {
  assert.deepEqual(parseStoredHotkeys('{"e:s":{"key":"ctrl+s"}}'), { 'e:s': { key: 'ctrl+s' } });
  assert.deepEqual(parseStoredHotkeys('{"bad":{"key":"x"}}'), {});
  assert.deepEqual(parseStoredHotkeys('not json'), {});
  assert.deepEqual(parseStoredHotkeys(undefined), {});
});

test('avatar checks run in Label Studio order with its messages', () => {
  const png = solidPng(10, 10);
  const upload = (over: Partial<Parameters<typeof avatarProblem>[0]>) =>
    avatarProblem({ fileName: 'me.png', contentType: 'image/png', data: png, truncated: false, ...over });
  assert.equal(upload({}), null);
  assert.equal(upload({ data: Buffer.from('hello') }), "Can't read image, try another one");
  assert.equal(upload({ data: Buffer.from('<svg xmlns="http://www.w3.org/2000/svg" width="5" height="5"/>') }), "Can't read image, try another one");
  assert.equal(upload({ data: solidPng(1201, 5) }), 'Please use an image that is 1200 x 1200 pixels or smaller.');
  assert.equal(upload({ fileName: 'me.bmp' }), 'Please upload a valid image file with extensions: JPEG, JPG, GIF, or PNG.');
  assert.equal(upload({ fileName: 'noextension' }), 'Please upload a valid image file with extensions: JPEG, JPG, GIF, or PNG.');
  assert.equal(upload({ fileName: 'ME.JPG' }), null);
  assert.equal(upload({ contentType: 'text/plain' }), 'Please use a JPEG, GIF or PNG image.');
  assert.equal(upload({ contentType: 'image/svg+xml' }), 'Please use a JPEG, GIF or PNG image.');
  assert.equal(upload({ truncated: true }), 'Avatar file size may not exceed 1024.0 kb');
});

test('stored avatar names: 8 hex, a dash, a safe stem, the extension', () => {
  assert.match(storedAvatarName('My Photo.PNG'), /^[0-9a-f]{8}-My_Photo\.png$/);
  assert.match(storedAvatarName('../../etc/passwd.png'), /^[0-9a-f]{8}-passwd\.png$/);
  assert.match(storedAvatarName('C:\\Users\\x\\..png'), /^[0-9a-f]{8}-avatar\.png$/);
  assert.match(storedAvatarName('фото.jpg'), /^[0-9a-f]{8}-avatar\.jpg$/);
  assert.notEqual(storedAvatarName('a.png'), storedAvatarName('a.png'));
});
