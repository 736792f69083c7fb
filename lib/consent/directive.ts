/**
 * What a launch's client must stop holding: the consent decisions of one actor and purpose for
 * each resource type the client may cache, reduced to lists it can act on without seeing the
 * consents themselves (DESIGN §1 Consent: revocation purges caches and holds queued writes).
 * Pure; the sync endpoint loads the consents fresh and adds a version.
 *
 * - `deniedTypes`: reading the type is denied outright; purge every cached copy.
 * - `perResourceTypes`: reading depends on each resource (dates, codes, instances); the client
 *   cannot judge that, so it purges the type and lets the proxy filter the next download.
 * - `redactLabels`: data with these labels is withheld (a redaction obligation); purge it.
 * - `writeDenied`: types whose creates (`collect`) or updates and deletes (`correct`) are denied;
 *   queued changes of those types are held for review instead of sent.
 * - `wipe`: every type is denied: the actor may see nothing of this patient any more (restricted
 *   entirely, or "only the people I share with" and nothing shared with them). The client then
 *   crypto-shreds the whole partition rather than purging type by type (issue 5).
 */
import type { Coding } from '@medplum/fhirtypes';
import { decideForType, type ConsentContext } from './enforce';

/** A launch's consent directive, without its version. */
export interface ConsentDirectiveBody {
  deniedTypes: string[];
  perResourceTypes: string[];
  redactLabels: Coding[];
  writeDenied: { create: string[]; update: string[] };
  wipe: boolean;
}

/** Judges each of `resourceTypes` for the context's actor and purpose. */
export function consentDirective(ctx: ConsentContext, resourceTypes: readonly string[]): ConsentDirectiveBody {
  const out: ConsentDirectiveBody = { deniedTypes: [], perResourceTypes: [], redactLabels: [], writeDenied: { create: [], update: [] }, wipe: false };
  const labels = new Map<string, Coding>();
  const types = [...new Set(resourceTypes)].sort();
  for (const type of types) {
    const read = decideForType(ctx, type, 'access');
    if (read.decision === 'deny') out.deniedTypes.push(type);
    else {
      if (read.obligations.some((o) => o.type === 'decide-per-resource')) out.perResourceTypes.push(type);
      for (const o of read.obligations) if (o.type === 'redact') for (const l of o.securityLabels) labels.set(`${l.system ?? ''}|${l.code ?? ''}`, l.system ? { system: l.system, code: l.code } : { code: l.code });
    }
    if (decideForType(ctx, type, 'collect').decision === 'deny') out.writeDenied.create.push(type);
    if (decideForType(ctx, type, 'correct').decision === 'deny') out.writeDenied.update.push(type);
  }
  out.redactLabels = [...labels.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([, l]) => l);
  out.wipe = types.length > 0 && out.deniedTypes.length === types.length;
  return out;
}
