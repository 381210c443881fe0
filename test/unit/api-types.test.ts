import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { API_TYPES_PATH, generateApiTypes } from '#src/http/openapi-types.js';

const STALE = `${API_TYPES_PATH} is stale: run npm run api:types`;

function readCommitted(): string | undefined {
  try {
    return readFileSync(new URL(`../../../${API_TYPES_PATH}`, import.meta.url), 'utf8');
  } catch {
    return undefined;
  }
}

/** The first line that differs, so the failure says where without printing thousands of lines. */
function firstDifference(committed: string, fresh: string): string {
  const a = committed.split('\n');
  const b = fresh.split('\n');
  const line = a.findIndex((text, i) => text !== b[i]);
  const at = line === -1 ? a.length : line;
  return `first difference at line ${at + 1}:\n  committed: ${a[at]?.trim() ?? '(end of file)'}\n  generated: ${b[at]?.trim() ?? '(end of file)'}`;
}

test('the web app\'s API types match the server\'s route schemas (npm run api:types rewrites them)', async () => {
  const committed = readCommitted();
  const fresh = await generateApiTypes();
  if (committed === undefined) assert.fail(`${STALE} (the file is missing)`);
  if (committed !== fresh) assert.fail(`${STALE}\n${firstDifference(committed, fresh)}`);
});

test('generating the API types twice gives the same text (no temp paths, times or unordered keys)', async () => {
  assert.equal(await generateApiTypes(), await generateApiTypes());
});
