import assert from 'node:assert/strict';
import { test } from 'node:test';
import { pythonRepr } from '#src/cli/python-repr.js';

test('formats values as Python prints them', () => {
  assert.equal(
    pythonRepr({ id: 1, name: '', avatar: null, ok: true, off: false, meta: { title: 'Label Studio' }, list: [1, 'a'] }),
    "{'id': 1, 'name': '', 'avatar': None, 'ok': True, 'off': False, 'meta': {'title': 'Label Studio'}, 'list': [1, 'a']}",
  );
});

test('quotes like Python: double quotes around a single quote, escapes otherwise', () => {
  assert.equal(pythonRepr("user x doesn't exist"), `"user x doesn't exist"`);
  assert.equal(pythonRepr(`it's "quoted"`), `'it\\'s "quoted"'`);
  assert.equal(pythonRepr('back\\slash\nnew'), "'back\\\\slash\\nnew'");
});
