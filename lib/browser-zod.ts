/**
 * zod for code that runs in the browser: `zod/mini` (the full `zod` would add about 30 KB gzipped
 * to a page), set "jitless" there. zod probes once for `new Function` to compile its parsers; under
 * Housecall's Content-Security-Policy (no 'unsafe-eval') the probe is refused and reported as a
 * violation, so parse without compiling instead (same results). Importing zod through this module
 * makes the setting part of loading it, before any schema can parse. On the server zod compiles.
 */
import * as z from 'zod/mini';

if (typeof window !== 'undefined') z.config({ jitless: true });

export { z };
