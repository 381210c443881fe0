// Bundles the compiled CLI into a few files: loading hundreds of ESM modules (kysely alone has ~280)
// costs more than the command itself, and the CLI must start fast.
import { rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

rmSync('dist/bundle', { recursive: true, force: true });

/** Commander's eager `node:child_process` becomes a stand-in that loads it on first use (see the stand-in). */
const lazyChildProcessForCommander = {
  name: 'lazy-child-process-for-commander',
  setup(pluginBuild) {
    pluginBuild.onResolve({ filter: /^node:child_process$/ }, (args) =>
      /[\\/]commander[\\/]/.test(args.importer) ? { path: fileURLToPath(new URL('./lazy-child-process.cjs', import.meta.url)) } : undefined,
    );
  },
};

await build({
  entryPoints: ['dist/src/cli/main.js'],
  outdir: 'dist/bundle',
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  // Native addons, the PostgreSQL driver and the server's packages stay packages: only the CLI's own path
  // (commander, kysely, our code) needs folding, and server plugins locate files next to their own modules.
  external: ['better-sqlite3', 'argon2', 'nodemailer', 'pg-native', 'pg-cloudflare', 'fastify', 'fastify-plugin', '@fastify/*', '@sinclair/typebox', '@zxcvbn-ts/*', 'qrcode'],
  banner: { js: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);" },
  sourcemap: true,
  logLevel: 'warning',
  plugins: [lazyChildProcessForCommander],
});
