import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, readdirSync, readFileSync, rmSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, test } from 'node:test';
import { CLI_PATH, cleanEnv } from '../helpers/cli.js';
import { tempDir } from '../helpers/databases.js';

const root = dirname(dirname(CLI_PATH));

/** A copy of the built CLI without its code cache: the binary, the bundle, package.json and the packages. */
function copyOfTheCli(): string {
  const dir = tempDir('lsa-compile-cache-');
  mkdirSync(join(dir, 'bin'));
  mkdirSync(join(dir, 'dist', 'bundle'), { recursive: true });
  copyFileSync(CLI_PATH, join(dir, 'bin', 'label-studio.cjs'));
  copyFileSync(join(root, 'dist', 'bundle', 'cli.cjs'), join(dir, 'dist', 'bundle', 'cli.cjs'));
  copyFileSync(join(root, 'package.json'), join(dir, 'package.json'));
  symlinkSync(join(root, 'node_modules'), join(dir, 'node_modules'));
  return dir;
}

function version(dir: string): { status: number | null; stdout: string; stderr: string } {
  return spawnSync(process.execPath, [join(dir, 'bin', 'label-studio.cjs'), '--version'], { encoding: 'utf8', env: cleanEnv() });
}

const caches = (dir: string): string[] => readdirSync(join(dir, 'dist', 'bundle')).filter((name) => name.endsWith('.v8-cache'));

describe('the CLI code cache', () => {
  test('the first run writes a cache; a bundle changed to the same length is never run from the old cache', () => {
    const dir = copyOfTheCli();
    const first = version(dir);
    assert.equal(first.status, 0, first.stderr);
    assert.match(first.stdout, /Label Studio version: /);
    assert.equal(caches(dir).length, 1);

    // Same length, so V8's own check (the source's length) would accept the old cache and print the old text.
    const bundle = join(dir, 'dist', 'bundle', 'cli.cjs');
    writeFileSync(bundle, readFileSync(bundle, 'utf8').replace('Label Studio version: ', 'Label Studio release: '));
    const later = new Date(Date.now() + 5_000);
    utimesSync(bundle, later, later);
    const changed = version(dir);
    assert.equal(changed.status, 0, changed.stderr);
    assert.match(changed.stdout, /Label Studio release: /);
  });

  test('a damaged cache is refused by V8 and replaced; the command still runs', () => {
    const dir = copyOfTheCli();
    assert.equal(version(dir).status, 0);
    const [cache] = caches(dir);
    assert.ok(cache);
    writeFileSync(join(dir, 'dist', 'bundle', cache), Buffer.alloc(4096, 7));
    const run = version(dir);
    assert.equal(run.status, 0, run.stderr);
    assert.match(run.stdout, /Label Studio version: /);
    assert.notDeepEqual(readFileSync(join(dir, 'dist', 'bundle', cache)), Buffer.alloc(4096, 7));
  });

  test('without a built bundle the binary says to build it, instead of a stack trace', () => {
    const dir = copyOfTheCli();
    rmSync(join(dir, 'dist'), { recursive: true });
    const run = version(dir);
    assert.equal(run.status, 1);
    assert.match(run.stderr, /cli\.cjs is missing: build the CLI first with `npm run build`/);
    assert.doesNotMatch(run.stderr, /\n\s+at /);
  });
});
