// Writes docs/permissions.md from the permission table (run after `npm run build`).
import { writeFileSync } from 'node:fs';
import { renderPermissionsDoc } from '../dist/src/policies/permissions-doc.js';

writeFileSync(new URL('../docs/permissions.md', import.meta.url), renderPermissionsDoc());
