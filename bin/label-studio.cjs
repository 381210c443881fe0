#!/usr/bin/env node
'use strict';
// Runs the bundled CLI (dist/bundle/cli.cjs) from a V8 code cache kept beside it: compiling 2 MB of JavaScript
// on every start is most of a short command's time, and Node 20 has no compile cache of its own. The cache is
// named after the bundle's size and modification time, because V8 itself only checks the source's length; V8
// rejects a cache made by another Node version, and then this run writes a fresh one.
const fs = require('node:fs');
const path = require('node:path');
const vm = require('node:vm');
const { createRequire, wrap } = require('node:module');
const { isAscii } = require('node:buffer');

const bundle = path.join(__dirname, '..', 'dist', 'bundle', 'cli.cjs');
let stat;
try {
  stat = fs.statSync(bundle);
} catch {
  process.stderr.write(`label-studio: ${bundle} is missing: build the CLI first with \`npm run build\` (see README, Set up)\n`);
  process.exit(1);
}
const cacheFile = `${bundle}.${stat.size}-${Math.trunc(stat.mtimeMs)}.v8-cache`;

let cachedData;
try {
  cachedData = fs.readFileSync(cacheFile);
} catch {
  // No cache yet: this run compiles from source and writes one.
}
// The build writes ASCII only, which reads as Latin-1 at a third of the cost of decoding UTF-8.
const bytes = fs.readFileSync(bundle);
const source = bytes.toString(isAscii(bytes) ? 'latin1' : 'utf8');
const script = new vm.Script(wrap(source), { filename: bundle, cachedData });
const bundleModule = { exports: {} };
script.runInThisContext().call(bundleModule.exports, bundleModule.exports, createRequire(bundle), bundleModule, bundle, path.dirname(bundle));

/** Written after the command, so the cache also holds the functions it compiled; a read-only install keeps none. */
function writeCache() {
  if (cachedData !== undefined && !script.cachedDataRejected) return;
  const temporary = `${cacheFile}.${process.pid}.tmp`;
  try {
    fs.writeFileSync(temporary, script.createCachedData());
    fs.renameSync(temporary, cacheFile);
  } catch {
    fs.rmSync(temporary, { force: true });
  }
}

bundleModule.exports.main().finally(writeCache);
