import { readFileSync } from 'node:fs';

interface PackageJson {
  name: string;
  version: string;
}

/** The package's own name and version, read once from package.json next to dist/. */
const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as PackageJson;

export const PACKAGE_NAME = pkg.name;
export const VERSION = pkg.version;
