// Writes web/src/api/openapi.gen.ts from the server's OpenAPI document (run after `npm run build`).
import { writeFileSync } from 'node:fs';
import { API_TYPES_PATH, generateApiTypes } from '../dist/src/http/openapi-types.js';

writeFileSync(new URL(`../${API_TYPES_PATH}`, import.meta.url), await generateApiTypes());
