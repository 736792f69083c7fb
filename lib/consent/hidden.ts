import type { Bundle } from '@medplum/fhirtypes';

/**
 * Reading what consent withheld from a proxied answer, from the tags applyConsent (enforce.ts)
 * puts on it. A module of its own, without the decision code, because the browser reads these
 * tags on every chart and portal view and should not download the rest of lib/consent for it.
 */

/**
 * The tag system on a Bundle's meta that says consent removed, or may have removed, entries: code
 * `some` (never a count; answers saved on a device by older versions may still carry one).
 */
export const CONSENT_HIDDEN_EXTENSION = 'urn:housecall:consent-hidden';

/**
 * The tag system that says why, in categories a clinician can act on and nothing about the data
 * itself: `label:<code>` (data carrying a sensitivity label the patient restricts), `restricted`
 * (the patient limited this person or purpose), `not-shared` (the patient shares only with
 * people they choose, and this launch is not among them).
 */
export const CONSENT_WHY_SYSTEM = 'urn:housecall:consent-hidden-why';

/** The tag a search answer carries when consent withheld the whole resource type (count unknown). */
export const CONSENT_HIDDEN_ALL = { system: CONSENT_HIDDEN_EXTENSION, code: 'all', display: 'all entries of this type withheld by consent' } as const;

/**
 * Whether consent withheld anything from a proxied Bundle, read from its meta.tag (see
 * applyConsent and CONSENT_HIDDEN_ALL), so the chart can say that items are hidden without
 * saying what. `count` is null unless an older answer said how many.
 */
export function hiddenByConsent(body: unknown): { hidden: boolean; count: number | null; why: string[] } {
  const all = (body as Bundle | undefined)?.meta?.tag ?? [];
  const tags = all.filter((t) => t.system === CONSENT_HIDDEN_EXTENSION);
  const why = all.flatMap((t) => (t.system === CONSENT_WHY_SYSTEM && typeof t.code === 'string' ? [t.code] : []));
  if (tags.length === 0) return { hidden: false, count: 0, why: [] };
  if (tags.some((t) => t.code === CONSENT_HIDDEN_ALL.code || t.code === 'some')) return { hidden: true, count: null, why };
  const count = tags.reduce((n, t) => n + (Number(t.code) || 0), 0);
  return { hidden: count > 0, count, why };
}

/**
 * hiddenByConsent over every answer a view shows (a summary's sections, a history's pages):
 * `count` is null as soon as one answer had a whole type withheld.
 */
export function hiddenAcross(bodies: readonly unknown[]): { hidden: boolean; count: number | null; why: string[] } {
  const each = bodies.map(hiddenByConsent);
  if (!each.some((h) => h.hidden)) return { hidden: false, count: 0, why: [] };
  const why = [...new Set(each.flatMap((h) => h.why))].sort();
  return { hidden: true, count: each.some((h) => h.count === null) ? null : each.reduce((n, h) => n + (h.count ?? 0), 0), why };
}
