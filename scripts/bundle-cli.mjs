// Bundles the compiled CLI into a few files: loading hundreds of ESM modules (kysely alone has ~280)
// costs more than the command itself, and the CLI must start fast.
import { build } from 'esbuild';

await build({
  entryPoints: ['dist/src/cli/main.js'],
  outdir: 'dist/bundle',
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  // Native addons and the PostgreSQL driver stay as packages; pg loads only for PostgreSQL installs.
  external: ['better-sqlite3', 'argon2', 'pg', 'pg-native'],
  banner: { js: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);" },
  sourcemap: true,
  logLevel: 'warning',
});
