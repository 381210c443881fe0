import { createHash } from 'node:crypto';
import { html, SafeHtml } from '#src/http/pages/html.js';

/** The sign-in pages' stylesheet, served as a file: the Content-Security-Policy allows no inline style. */
export const AUTH_STYLES = `
:root{--ink:#1f2328;--muted:#5b636d;--line:#d6dbe1;--accent:#b4232a;--accent-ink:#fff;--bg:#f6f7f9;--error:#b42318;--focus:#2563eb}
*{box-sizing:border-box}body{margin:0;font:15px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:var(--ink);background:var(--bg);min-height:100vh;display:flex;align-items:center;justify-content:center;padding:24px}
main{width:100%;max-width:420px;background:#fff;border:1px solid var(--line);border-radius:12px;padding:32px;box-shadow:0 8px 24px rgba(16,24,40,.06)}
.brand{display:flex;align-items:center;gap:10px;font-weight:700;font-size:18px;margin-bottom:24px}.brand span{display:inline-grid;place-items:center;width:32px;height:32px;border-radius:8px;background:var(--accent);color:#fff;font-size:14px}
h1{font-size:22px;margin:0 0 20px}label{display:block;font-weight:600;margin:14px 0 6px}
input[type=email],input[type=password],input[type=text]{width:100%;padding:10px 12px;border:1px solid var(--line);border-radius:8px;font:inherit}
input:focus-visible,button:focus-visible,a:focus-visible{outline:2px solid var(--focus);outline-offset:2px}
.check{display:flex;gap:8px;align-items:center;margin:16px 0;font-weight:400}.check input{width:16px;height:16px;accent-color:var(--accent)}
button{width:100%;margin-top:18px;padding:11px;border:0;border-radius:8px;background:#b4232a;color:var(--accent-ink);font:600 15px system-ui,sans-serif;cursor:pointer}button:hover{background:#9b1c22}
.button-link{display:block;margin-top:18px;padding:11px;border-radius:8px;background:#b4232a;color:var(--accent-ink);font-weight:600;text-align:center;text-decoration:none}.button-link:hover{background:#9b1c22}
.error{color:var(--error);font-size:14px;margin:6px 0 0}.form-error{background:#fef3f2;border:1px solid #fecdca;color:var(--error);border-radius:8px;padding:10px 12px;margin-bottom:8px}
.notice{background:#eff6ff;border:1px solid #bfdbfe;color:#1e3a8a;border-radius:8px;padding:10px 12px;margin-bottom:8px}
.hint{color:var(--muted);font-size:13px;margin:4px 0 0}.lead{color:var(--muted);margin:-8px 0 8px}.switch{margin-top:20px;text-align:center;color:var(--muted)}a{color:#1d4ed8}
`;

/** Where the stylesheet is served; the version (its content's hash) lets browsers keep it for good. */
export const AUTH_STYLES_PATH = '/static/auth-pages.css';
export const AUTH_STYLES_VERSION = createHash('sha256').update(AUTH_STYLES).digest('hex').slice(0, 12);

/** The frame of the sign-up and login pages: one card, no script, no inline style; colours and type match the web app (web/src/styles). */
export function authLayout(title: string, body: SafeHtml): string {
  return html`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<meta name="robots" content="noindex, nofollow"><title>${title} &middot; Label Studio</title><link rel="stylesheet" href="${AUTH_STYLES_PATH}?v=${AUTH_STYLES_VERSION}"></head>
<body><main><div class="brand" aria-hidden="true"><span>LS</span>Label Studio</div>${body}</main></body></html>`.value;
}
