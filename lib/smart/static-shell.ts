import 'server-only';
import fs from 'node:fs';
import path from 'node:path';
import { sha256Source } from './content-policy';

/**
 * Hashes for the offline shell's Content-Security-Policy. `/offline` is prerendered at build
 * time and stored by the service worker, so its inline scripts (Next.js's RSC payload) carry no
 * per-request nonce; the policy allows exactly those scripts by SHA-256 (CSP Level 3,
 * hash-source). The hashes are read from the build's own HTML, so they follow every build.
 */
export interface InlineHashes {
  scripts: string[];
  styles: string[];
}

/** The `'sha256-…'` sources of every inline `<script>` (no `src`) and `<style>` in `html`. */
export function inlineSourceHashes(html: string): InlineHashes {
  const scripts = new Set<string>();
  const styles = new Set<string>();
  for (const m of html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/gi)) {
    if (/\bsrc\s*=/i.test(m[1] ?? '') || !m[2]) continue;
    scripts.add(sha256Source(m[2]));
  }
  for (const m of html.matchAll(/<style\b[^>]*>([\s\S]*?)<\/style>/gi)) if (m[1]) styles.add(sha256Source(m[1]));
  return { scripts: [...scripts], styles: [...styles] };
}

/** Where `next build` leaves the prerendered shell. */
export const OFFLINE_SHELL_HTML = path.join(process.cwd(), '.next', 'server', 'app', 'offline.html');

let cached: { mtimeMs: number; hashes: InlineHashes } | undefined;

/**
 * The offline shell's hashes, read from the build (cached until the file changes); undefined
 * when there is no prerendered shell, and under `next dev`, which renders it on request with a
 * nonce (a production build's file may still be lying in `.next`).
 */
export function offlineShellHashes(file: string = OFFLINE_SHELL_HTML): InlineHashes | undefined {
  if (process.env.NODE_ENV === 'development') return undefined;
  let stat: fs.Stats;
  try {
    stat = fs.statSync(/* turbopackIgnore: true */ file);
  } catch {
    return undefined;
  }
  if (cached?.mtimeMs !== stat.mtimeMs) cached = { mtimeMs: stat.mtimeMs, hashes: inlineSourceHashes(fs.readFileSync(/* turbopackIgnore: true */ file, 'utf8')) };
  return cached.hashes;
}
