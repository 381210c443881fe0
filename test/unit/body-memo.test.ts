import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { BodyMemo } from '#src/http/presenters/body-memo.js';

describe('BodyMemo', () => {
  test('serializes once while the key and every part are the same objects, again when any is replaced', () => {
    const memo = new BodyMemo<{ id: number }>();
    let serialized = 0;
    const serialize = (text: string) => () => {
      serialized += 1;
      return text;
    };
    const user = { id: 1 };
    const meta = { title: 'Lab' };
    const memberships = [{ role: 'AN' }];
    assert.equal(memo.body(user, [meta, memberships], serialize('first')), 'first');
    assert.equal(memo.body(user, [meta, memberships], serialize('unused')), 'first');
    assert.equal(serialized, 1);
    // An equal but new object is a new read: the body is made again.
    assert.equal(memo.body(user, [{ title: 'Lab' }, memberships], serialize('second')), 'second');
    assert.equal(memo.body(user, [meta], serialize('third')), 'third', 'fewer parts');
    assert.equal(memo.body({ id: 1 }, [meta], serialize('fourth')), 'fourth', 'another key object');
    assert.equal(serialized, 4);
  });
});
