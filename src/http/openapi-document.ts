import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { resolveConfig } from '#src/config.js';
import { createContext } from '#src/context.js';
import { createApp } from '#src/http/app.js';

/** The OpenAPI document as @fastify/swagger returns it (the JSON form, not the YAML string). */
export type OpenApiDocument = Exclude<ReturnType<FastifyInstance['swagger']>, string>;

/**
 * The server's OpenAPI document, from an app that is built but never listens. The app needs a context, so it gets
 * one on a throwaway SQLite database; an empty environment keeps the machine's settings out of the document.
 */
export async function buildOpenApiDocument(): Promise<OpenApiDocument> {
  const dataDir = mkdtempSync(join(tmpdir(), 'lsa-openapi-'));
  try {
    const ctx = await createContext(resolveConfig({ dataDir }, {}));
    try {
      const app = await createApp(ctx, { logger: false });
      try {
        await app.ready();
        return app.swagger();
      } finally {
        await app.close();
      }
    } finally {
      await ctx.close();
    }
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
}
