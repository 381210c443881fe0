import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { test } from 'node:test';

const SRC = fileURLToPath(new URL('../../../src', import.meta.url));

/**
 * The layers, lowest first: a file may import its own layer and the ones below, never one above. Policies and
 * domain rules therefore never reach a service; services never reach HTTP or the CLI; the composition root
 * (context.ts) sits between the services and the two shells that use it.
 */
const LAYERS: ReadonlyArray<readonly [string, (path: string) => boolean]> = [
  ['base', (p) => /^(errors|clock|version|config)\.ts$/.test(p) || p.startsWith('domain/') || p.startsWith('auth/')],
  ['storage', (p) => p.startsWith('storage/')],
  ['repositories', (p) => p.startsWith('repositories/')],
  ['policies', (p) => p.startsWith('policies/')],
  ['services', (p) => p.startsWith('services/') || p.startsWith('ports/') || p.startsWith('adapters/')],
  ['composition', (p) => p === 'context.ts'],
  ['http', (p) => p.startsWith('http/')],
  ['cli', (p) => p.startsWith('cli/')],
];

function layerOf(path: string): number {
  const index = LAYERS.findIndex(([, matches]) => matches(path));
  if (index < 0) throw new Error(`src/${path} belongs to no layer: add its folder to LAYERS`);
  return index;
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = join(dir, name);
    return statSync(full).isDirectory() ? sourceFiles(full) : name.endsWith('.ts') ? [full] : [];
  });
}

/** Every module a file imports, statically or dynamically, type-only included. */
function importsOf(text: string): string[] {
  const found: string[] = [];
  for (const match of text.matchAll(/(?:from|import)\s*\(?\s*'([^']+)'/g)) if (match[1]) found.push(match[1]);
  return found;
}

test('no file imports a higher layer, and none climbs with a relative path', () => {
  const problems: string[] = [];
  const files = sourceFiles(SRC);
  assert.ok(files.length > 80, `expected the whole source tree, found ${files.length} files`);
  for (const file of files) {
    const path = relative(SRC, file);
    const own = layerOf(path);
    for (const specifier of importsOf(readFileSync(file, 'utf8'))) {
      if (specifier.startsWith('.')) problems.push(`src/${path} imports ${specifier}: use #src/… so the direction shows`);
      if (!specifier.startsWith('#src/')) continue;
      const target = specifier.slice('#src/'.length).replace(/\.js$/, '.ts');
      const theirs = layerOf(target);
      if (theirs > own) problems.push(`src/${path} (${LAYERS[own]?.[0]}) imports ${specifier} (${LAYERS[theirs]?.[0]})`);
    }
  }
  assert.deepEqual(problems, []);
});

test('the layer check sees a violation when there is one', () => {
  assert.ok(layerOf('services/account.service.ts') > layerOf('policies/permissions.ts'));
  assert.ok(layerOf('http/app.ts') > layerOf('context.ts'));
  assert.deepEqual(importsOf("import { a } from '#src/x.js';\nimport type { B } from '#src/y.js';\nawait import('#src/z.js');"), ['#src/x.js', '#src/y.js', '#src/z.js']);
});
