'use client';
import * as z from 'zod/mini';

// zod 4 probes once for `new Function` to compile its parsers; under Housecall's
// Content-Security-Policy (no 'unsafe-eval') the probe is refused and reported as a violation,
// so every page would report one. Parse without compiling instead (same results). The setting is
// zod's one global configuration, shared by `zod` and `zod/mini`; browser code uses `zod/mini`
// only (the full `zod` would add about 30 KB gzipped to every page).
z.config({ jitless: true });

/** Rendered by the root layout so the setting above is applied in the browser before any parse. */
export function NoEvalRuntime() {
  return null;
}
