import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { ReadCache } from '#src/repositories/read-cache.js';

const live = { check: () => true };

/** Reads `key` through the cache, counting how often it went to the "database". */
function reader(cache: ReadCache, tags: readonly string[]) {
  const loads = new Map<string, number>();
  return {
    loads,
    read: (key: string) =>
      cache.get(
        key,
        async () => {
          loads.set(key, (loads.get(key) ?? 0) + 1);
          return { key };
        },
        () => tags,
      ),
  };
}

describe('read cache partitions (remembered searches)', () => {
  test('a partition keeps its own number of entries, apart from the main cache', async () => {
    const main = new ReadCache(live, { maxEntries: 100 });
    const searches = main.partition({ maxEntries: 2 });
    const small = reader(searches, ['org:1']);
    const big = reader(main, ['org:1']);
    for (const key of ['a', 'b', 'c']) await small.read(key);
    await big.read('x');
    assert.deepEqual([searches.size, main.size], [2, 1]);
    await small.read('a');
    assert.equal(small.loads.get('a'), 2, 'the oldest search was dropped to make room');
    await small.read('c');
    assert.equal(small.loads.get('c'), 1);
  });

  test("what drops values of the main cache drops the partition's: a tag, everything, a reset", async () => {
    const main = new ReadCache(live);
    const searches = main.partition({ maxEntries: 8 });
    const org = reader(searches, ['org:1', 'user-profiles']);
    await org.read('s');
    main.invalidate(['org:2']);
    await org.read('s');
    assert.equal(org.loads.get('s'), 1, 'another organization changed: still remembered');
    main.invalidate(['user-profiles']);
    await org.read('s');
    assert.equal(org.loads.get('s'), 2);
    main.invalidate(['*']);
    await org.read('s');
    assert.equal(org.loads.get('s'), 3);
    main.clear();
    await org.read('s');
    assert.equal(org.loads.get('s'), 4);
  });
});
