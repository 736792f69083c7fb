import 'server-only';
import { randomUUID } from 'node:crypto';
import { serverEnv } from '../env';
import { proxyBase, proxyUrl } from './proxy-path';
import { proxyFhirRequest, type ProxyTarget } from './proxy-pipeline';

/** One answer the server got for a page, keyed in the browser by its proxy URL. */
export interface ServerAnswer {
  body: unknown;
  /** When the proxy answered (ISO time): the age the page shows, as for an answer the browser fetched. */
  fetchedAt: string;
}

/** Proxy URL (`/api/l/{launchId}/fhir/{path}`) → answer. */
export type ServerAnswers = Record<string, ServerAnswer>;

/** How long a page waits for its first screen's answers; the rest are left to the browser. */
export const FIRST_SCREEN_BUDGET_MS = 2_500;

export interface FirstScreenDeps {
  /** The pipeline a proxied request runs through (lib/fhir/proxy-pipeline.ts). */
  proxy: (request: Request, target: ProxyTarget, requestId: string) => Promise<Response>;
  budgetMs: number;
  now: () => number;
}

const DEFAULT_DEPS: FirstScreenDeps = { proxy: proxyFhirRequest, budgetMs: FIRST_SCREEN_BUDGET_MS, now: Date.now };

/**
 * Whether a page request loads a document (its first screen is composed on the server) rather
 * than rendering for a client-side navigation (Sec-Fetch-Mode `cors`), whose page already runs
 * and whose views ask for themselves. A browser that sends no Sec-Fetch-Mode gets the answers.
 */
export function isDocumentLoad(secFetchMode: string | null): boolean {
  return secFetchMode === null || secFetchMode === 'navigate';
}

/**
 * Asks the proxy for a page's first screen on the server, with the person's own cookie, so the
 * page arrives with its data instead of the browser asking for it after its scripts load (on a
 * phone, several slow round trips saved). Each request runs the whole pipeline, exactly as the
 * browser's would: the launch authenticated, scopes and compartment checked, the consents as they
 * are now, filtered, and audited before the answer is used.
 *
 * Only successful answers (200) are kept; a refusal, a failure or an answer not in within the
 * budget is left out, and the browser asks for it as before, so it meets its own outcome (session
 * ended, not shared, offline copy) the way it always did.
 */
export async function firstScreenAnswers(launchId: string, paths: readonly string[], cookie: string | null, deps: FirstScreenDeps = DEFAULT_DEPS): Promise<ServerAnswers> {
  if (!cookie) return {};
  const origin = new URL(serverEnv().HOUSECALL_URL).origin;
  const answers: ServerAnswers = {};
  const asks = paths.map(async (path) => {
    const url = new URL(proxyUrl(launchId, path), origin);
    const segments = url.pathname.slice(proxyBase(launchId).length).split('/').map(decodeURIComponent);
    const request = new Request(url, { headers: { cookie, accept: 'application/fhir+json' } });
    try {
      const response = await deps.proxy(request, { launchId, path: segments }, randomUUID());
      if (response.status !== 200) return;
      answers[proxyUrl(launchId, path)] = { body: await response.json(), fetchedAt: new Date(deps.now()).toISOString() };
    } catch {
      // The browser asks again and meets the failure itself.
    }
  });
  let timer: ReturnType<typeof setTimeout> | undefined;
  const budget = new Promise<void>((resolve) => {
    timer = setTimeout(resolve, deps.budgetMs);
  });
  await Promise.race([Promise.all(asks), budget]);
  clearTimeout(timer);
  // Answers that come in after the budget are not added: the page has been handed its copy.
  return { ...answers };
}
