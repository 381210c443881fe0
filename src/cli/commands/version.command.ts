import { PACKAGE_NAME, VERSION } from '#src/version.js';

/** `label-studio version` / `--version`: Label Studio's layout, our components. */
export function versionCommand(): number {
  process.stdout.write(`\nLabel Studio version: ${VERSION} \n\n`);
  const components = { [PACKAGE_NAME]: VERSION, node: process.versions.node };
  process.stdout.write(`${JSON.stringify(components, null, 4)}\n`);
  return 0;
}
