// Bundles the compiled CLI into one classic script, dist/bundle/cli.cjs, and warms its V8 code cache. Loading
// hundreds of ES modules (kysely alone has ~280) costs more than the command itself, and Node 20 keeps no compiled
// code between runs for ES modules; a classic script can be compiled from a V8 code cache (bin/label-studio.cjs).
import { isAscii } from 'node:buffer';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

rmSync('dist/bundle', { recursive: true, force: true });

// Native addons and the server's packages stay packages: server plugins locate files next to their own modules.
const external = ['better-sqlite3', 'argon2', 'nodemailer', 'pg-native', 'pg-cloudflare', 'fastify', 'fastify-plugin', '@fastify/*', '@sinclair/typebox', '@zxcvbn-ts/*', 'qrcode'];
const isExternal = (name) => external.some((e) => (e.endsWith('/*') ? name.startsWith(e.slice(0, -1)) : name === e || name.startsWith(`${e}/`)));

/** Commander's eager `node:child_process` becomes a stand-in that loads it on first use (see the stand-in). */
const lazyChildProcessForCommander = {
  name: 'lazy-child-process-for-commander',
  setup(pluginBuild) {
    pluginBuild.onResolve({ filter: /^node:child_process$/ }, (args) =>
      /[\\/]commander[\\/]/.test(args.importer) ? { path: fileURLToPath(new URL('./lazy-child-process.cjs', import.meta.url)) } : undefined,
    );
  },
};

/**
 * `await import('argon2')` of an external package becomes a `require`: a script compiled from a code cache loses
 * its dynamic-import callback on Node 20, and every external package here is CommonJS anyway.
 */
const externalImportsAsRequire = {
  name: 'external-imports-as-require',
  setup(pluginBuild) {
    pluginBuild.onResolve({ filter: /.*/ }, (args) =>
      args.kind === 'dynamic-import' && isExternal(args.path) ? { path: args.path, namespace: 'required-package' } : undefined,
    );
    pluginBuild.onLoad({ filter: /.*/, namespace: 'required-package' }, (args) => ({
      contents: `module.exports = require(${JSON.stringify(args.path)});`,
      loader: 'js',
    }));
  },
};

await build({
  entryPoints: ['dist/src/cli/main.js'],
  outfile: 'dist/bundle/cli.cjs',
  bundle: true,
  format: 'cjs',
  platform: 'node',
  target: 'node20',
  charset: 'ascii',
  minifyWhitespace: true,
  external,
  // Our modules find package.json and the web app from their own URL; in the bundle that is the bundle's URL.
  define: { 'import.meta.url': '__bundleUrl' },
  banner: { js: "const __bundleUrl = require('node:url').pathToFileURL(__filename).href;" },
  sourcemap: true,
  logLevel: 'warning',
  plugins: [lazyChildProcessForCommander, externalImportsAsRequire],
});

// esbuild escapes non-ASCII text except in tagged templates (our `html`), whose raw text it must keep: write entities there.
if (!isAscii(readFileSync('dist/bundle/cli.cjs'))) {
  process.stderr.write('warning: dist/bundle/cli.cjs is not ASCII only, so every CLI run decodes it as UTF-8 (~7 ms)\n');
}

// One run of a command that opens a database writes the code cache with the functions a command needs; without it,
// the first command run after a build would decide what the cache holds (a `--version` run holds almost nothing).
const dataDir = mkdtempSync(join(tmpdir(), 'lsa-bundle-warm-'));
try {
  const warm = spawnSync(process.execPath, ['bin/label-studio.cjs', 'user', '--data-dir', dataDir, '--username', 'warm-up@example.com'], {
    env: { PATH: process.env.PATH ?? '', HOME: dataDir },
    encoding: 'utf8',
  });
  if (warm.status !== 1 || !warm.stdout.includes("doesn't exist")) throw new Error(`warming the CLI's code cache failed:\n${warm.stdout}${warm.stderr}`);
} finally {
  rmSync(dataDir, { recursive: true, force: true });
}
