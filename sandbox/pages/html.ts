/**
 * Server-rendered HTML for the sandbox's pages: escaping, one layout, and response helpers.
 * Templates interpolate only through `html` tagged strings, so every value is escaped unless it
 * is itself an `Html` fragment built here.
 */
import type { ServerResponse } from 'node:http';

export class Html {
  constructor(readonly value: string) {}
  toString(): string {
    return this.value;
  }
}

const ENTITIES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

export function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (c) => ENTITIES[c]!);
}

type Part = Html | string | number | boolean | null | undefined | Part[];

function render(part: Part): string {
  if (part === null || part === undefined || part === false) return '';
  if (part instanceof Html) return part.value;
  if (Array.isArray(part)) return part.map(render).join('');
  return escapeHtml(String(part));
}

/** Tagged template: literal text kept, interpolations escaped (arrays joined, `Html` kept). */
export function html(strings: TemplateStringsArray, ...parts: Part[]): Html {
  let out = strings[0] ?? '';
  parts.forEach((part, i) => {
    out += render(part) + (strings[i + 1] ?? '');
  });
  return new Html(out);
}

const BASE_CSS = `
:root{color-scheme:light;--ink:#1b2733;--muted:#566573;--line:#c9d3dc;--accent:#0b5cad;--bg:#f5f7fa;--danger:#a3212a}
*{box-sizing:border-box}
body{margin:0;font:16px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:var(--ink);background:var(--bg)}
main{max-width:44rem;margin:0 auto;padding:1rem}
h1{font-size:1.5rem;margin:.5rem 0 1rem}h2{font-size:1.2rem;margin:1.5rem 0 .5rem}
a{color:var(--accent)}
label{display:block;font-weight:600;margin:.75rem 0 .25rem}
select,input[type=text]{width:100%;min-height:44px;font:inherit;padding:.4rem .5rem;border:1px solid var(--muted);border-radius:6px;background:#fff}
button,.button{display:inline-flex;align-items:center;justify-content:center;min-height:44px;min-width:44px;padding:.5rem 1.1rem;font:inherit;font-weight:600;border-radius:6px;border:1px solid var(--accent);background:var(--accent);color:#fff;text-decoration:none;cursor:pointer}
button.secondary{background:#fff;color:var(--accent)}
button:focus-visible,a:focus-visible,select:focus-visible{outline:3px solid #f2b705;outline-offset:2px}
.actions{display:flex;gap:.75rem;flex-wrap:wrap;margin-top:1.25rem}
.card{background:#fff;border:1px solid var(--line);border-radius:8px;padding:1rem;margin:1rem 0}
.muted{color:var(--muted)}.error{color:var(--danger);font-weight:600}
fieldset{border:1px solid var(--line);border-radius:8px;padding:.5rem 1rem;margin:1rem 0}
legend{font-weight:600;padding:0 .25rem}
.choice{display:flex;align-items:center;gap:.5rem;min-height:44px;font-weight:400;margin:0}
.choice input{width:1.25rem;height:1.25rem}
ul.scopes{padding-left:1.25rem}ul.scopes code{font-size:.85em;color:var(--muted)}
`;

export interface PageOptions {
  title: string;
  body: Html;
  /** Extra CSS for this page. */
  css?: string;
  /** Extra elements for <head> (scripts), already safe. */
  head?: Html;
}

/** A complete, mobile-friendly HTML document. */
export function page({ title, body, css = '', head }: PageOptions): string {
  return html`<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title}</title>
<style>${new Html(BASE_CSS + css)}</style>
${head}
</head>
<body>
${body}
</body>
</html>`.value;
}

export function sendHtml(res: ServerResponse, status: number, document: string): void {
  res.statusCode = status;
  res.setHeader('Content-Type', 'text/html; charset=utf-8');
  res.setHeader('Cache-Control', 'no-store');
  res.setHeader('X-Content-Type-Options', 'nosniff');
  // Sandbox pages may be framed only by the sandbox itself (the EHR page frames the conformance app).
  res.setHeader('Content-Security-Policy', "frame-ancestors 'self'");
  res.end(document);
}

export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  res.statusCode = status;
  res.setHeader('Content-Type', 'application/json; charset=utf-8');
  res.setHeader('Cache-Control', 'no-store');
  for (const [name, value] of Object.entries(headers)) res.setHeader(name, value);
  res.end(JSON.stringify(body));
}

export function sendText(res: ServerResponse, status: number, text: string): void {
  res.statusCode = status;
  res.setHeader('Content-Type', 'text/plain; charset=utf-8');
  res.setHeader('Cache-Control', 'no-store');
  res.end(text);
}

/** A simple message page (errors, expired links). */
export function messagePage(title: string, message: string, link?: { href: string; label: string }): string {
  return page({
    title,
    body: html`<main><h1>${title}</h1><p>${message}</p>${
      link ? html`<p><a href="${link.href}">${link.label}</a></p>` : ''
    }</main>`,
  });
}
