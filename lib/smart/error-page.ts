import { LAUNCH_ERRORS, type LaunchErrorCode } from './errors';

/**
 * The error page's only stylesheet, inline: its SHA-256 is allowed by the Content-Security-Policy
 * (lib/smart/content-policy.ts), so the page needs neither a nonce nor `'unsafe-inline'`.
 */
export const ERROR_PAGE_STYLE = `
body{font:16px/1.5 system-ui,sans-serif;margin:0;padding:1.5rem;color:#1f2933;background:#f7f9fb}
main{max-width:36rem;margin:0 auto;background:#fff;border:1px solid #d9e2ec;border-radius:12px;padding:1.5rem}
h1{font-size:1.35rem;margin:0 0 .75rem}.ref{color:#52606d;font-size:.9rem}.detail{background:#fff8e6;padding:.5rem .75rem;border-radius:8px}
.button{display:inline-block;min-height:44px;line-height:44px;padding:0 1rem;background:#1d4ed8;color:#fff;border-radius:8px;text-decoration:none}
`;

/** The authorize-post page's one script, allowed on /launch by its SHA-256. */
export const AUTHORIZE_POST_SCRIPT = 'document.forms[0].submit()';

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

/**
 * A self-contained error page for the launch routes, which answer before any React page
 * exists. Everything dynamic is escaped; the authorization server's own description is shown
 * as plain text, never as markup.
 */
export function renderErrorPage(options: { code: LaunchErrorCode; correlationId: string; detail?: string; newWindowUrl?: string }): string {
  const e = LAUNCH_ERRORS[options.code];
  const detail = options.detail ? `<p class="detail">The health system said: <q data-testid="error-detail">${escapeHtml(options.detail.slice(0, 500))}</q></p>` : '';
  const newWindow = options.newWindowUrl
    ? `<p><a class="button" data-testid="open-new-window" href="${escapeHtml(options.newWindowUrl)}" target="_blank" rel="noopener">Open Housecall in a new window</a></p>`
    : '';
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(e.title)} · Housecall</title>
<style>${ERROR_PAGE_STYLE}</style></head>
<body><main role="main" data-testid="launch-error" data-error-code="${options.code}">
<h1>${escapeHtml(e.title)}</h1>
<p>${escapeHtml(e.advice)}</p>
${detail}
${newWindow}
<p class="ref">Reference: <code data-testid="correlation-id">${escapeHtml(options.correlationId)}</code> · code <code>${options.code}</code></p>
</main></body></html>`;
}

/**
 * The page that sends a long authorization request by POST (SMART `authorize-post`). It
 * submits itself; without script, a button does the same.
 */
export function renderAuthorizePost(action: string, params: Record<string, string>): string {
  const inputs = Object.entries(params).map(([k, v]) => `<input type="hidden" name="${escapeHtml(k)}" value="${escapeHtml(v)}">`).join('');
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Signing in · Housecall</title></head>
<body><form method="post" action="${escapeHtml(action)}" data-testid="authorize-post">${inputs}
<noscript><button type="submit">Continue to sign in</button></noscript></form>
<script>${AUTHORIZE_POST_SCRIPT}</script></body></html>`;
}
