// Build-time only: openapi-typescript is a devDependency, and nothing the server or the CLI runs imports this file.
import openapiTS, { astToString } from 'openapi-typescript';
import { buildOpenApiDocument } from '#src/http/openapi-document.js';

/** Where the web app's generated API types live, relative to the repository root. */
export const API_TYPES_PATH = 'web/src/api/openapi.gen.ts';

const HEADER = [
  '// Generated from the server\'s OpenAPI document by `npm run api:types`: do not edit by hand.',
  '// test/unit/api-types.test.ts fails when this file no longer matches the route schemas.',
  '',
  '',
].join('\n');

/**
 * The document rendered as TypeScript, exactly as the file holds it. The script that writes the file and the test
 * that checks it both call this, so they cannot disagree. Sorted keys keep the output independent of the order in
 * which routes happen to be registered; openapi-typescript writes no timestamps or versions.
 */
export async function renderApiTypes(document: object): Promise<string> {
  // A JSON string rather than the object: openapi-typescript's own OpenAPI3 type differs from @fastify/swagger's.
  const nodes = await openapiTS(JSON.stringify(document), { alphabetize: true });
  return HEADER + astToString(nodes);
}

/** The web app's API types for the server as built now. */
export async function generateApiTypes(): Promise<string> {
  return renderApiTypes(await buildOpenApiDocument());
}
