import type { AppConfig } from '#src/config.js';

/**
 * An absolute link to this instance for e-mails: the public URL the operator configured (`--host`,
 * LABEL_STUDIO_HOST), never the request's Host header, which a client may forge to send links to another site.
 */
export function publicLink(config: AppConfig, path: string, query: Record<string, string> = {}): string {
  const configured = config.server.host.trim();
  const base = configured ? (configured.includes('://') ? configured : `http://${configured}`) : `http://localhost:${config.server.port}`;
  const params = new URLSearchParams(query).toString();
  return `${base.replace(/\/+$/, '')}${path}${params ? `?${params}` : ''}`;
}
