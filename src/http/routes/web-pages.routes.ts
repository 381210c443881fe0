import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { AppError } from '#src/errors.js';
import { accessSuspendedPage } from '#src/http/pages/auth-pages.js';

/** Page paths the web app renders; each answers with its index.html (spec §5.1). */
const PAGE_PATHS = ['/organization/', '/organization/*', '/people/', '/user/account/', '/user/account/*', '/projects/', '/projects/:id'];
/** The web app's enrolment page, where a member whose organization requires two-factor sign-in is sent first. */
export const TWO_FACTOR_SETUP_PATH = '/user/two-factor/setup/';

const NOT_BUILT = 'Web app not built: run npm run build';

/**
 * The package root: the nearest folder above this module holding package.json. The module runs from dist/src/…
 * (tests, `npm start`) or from the CLI bundle in dist/bundle, so a fixed number of `..` would be wrong for one of them.
 */
export function packageRoot(from: string = dirname(fileURLToPath(import.meta.url))): string {
  let dir = from;
  for (;;) {
    if (existsSync(join(dir, 'package.json'))) return dir;
    const parent = dirname(dir);
    if (parent === dir) return from;
    dir = parent;
  }
}

export interface WebPagesOptions {
  /** The Vite output folder (index.html + assets); web/dist of the package by default. */
  distDir?: string;
}

/** The web app's pages (Organization, Account & Settings, Projects) and their static assets (spec §5.1, §7). */
export async function webPagesRoutes(app: FastifyInstance, options: WebPagesOptions = {}): Promise<void> {
  const distDir = options.distDir ?? join(packageRoot(), 'web', 'dist');
  const indexFile = join(distDir, 'index.html');
  // Read once it exists; a build made while the server runs is picked up by the next request.
  let indexHtml: string | undefined;
  const loadIndex = (): string | undefined => {
    if (indexHtml === undefined && existsSync(indexFile)) indexHtml = readFileSync(indexFile, 'utf8');
    return indexHtml;
  };

  const hashedAssets = join(distDir, 'assets');
  await app.register(async (assets) => {
    // Assets are public and need no session lookup.
    assets.addHook('onRoute', (route) => {
      route.config = { ...(route.config ?? {}), access: 'public' };
    });
    await assets.register(fastifyStatic, {
      root: distDir,
      prefix: '/static/',
      index: false,
      suppressWarning: true,
      decorateReply: false,
      // File names under assets/ carry a content hash: cache them for good; anything else revalidates.
      setHeaders: (reply, path) => {
        reply.header('Cache-Control', path.startsWith(hashedAssets) ? 'public, max-age=31536000, immutable' : 'no-cache');
      },
    });
  });

  const page = async (request: FastifyRequest, reply: FastifyReply) => {
    const { principal } = request.action;
    if (!principal) return reply.redirect(`/user/login/?next=${encodeURIComponent(request.url)}`);
    // A deactivated or pending member (or one removed from every organization) gets a page that says so, not an app of 403s.
    let organizationId: number;
    try {
      organizationId = (await app.ctx.deps.actors.inActiveOrganization(principal)).organizationId;
    } catch (error) {
      if (!(error instanceof AppError) || !error.code.startsWith('membership.')) throw error;
      return reply.status(403).type('text/html; charset=utf-8').send(accessSuspendedPage(error.detail));
    }
    // An organization that requires two-factor sign-in sends a member without it to enrolment before anything else.
    const enrolling = request.routeOptions.url === TWO_FACTOR_SETUP_PATH;
    if (!enrolling && request.action.via === 'session' && (await app.ctx.services.twoFactor.mustEnrol(principal, organizationId))) {
      return reply.redirect(`${TWO_FACTOR_SETUP_PATH}?next=${encodeURIComponent(request.url)}`);
    }
    const html = loadIndex();
    if (!html) return reply.status(503).type('text/plain; charset=utf-8').send(NOT_BUILT);
    return reply.header('Cache-Control', 'no-store').type('text/html; charset=utf-8').send(html);
  };

  for (const url of [...PAGE_PATHS, TWO_FACTOR_SETUP_PATH]) {
    app.get(url, { config: { access: 'optional' }, schema: { hide: true } }, page);
  }
}
