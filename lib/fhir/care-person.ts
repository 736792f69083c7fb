import 'server-only';
import type { Bundle } from '@medplum/fhirtypes';
import { nameOfResource, obj, roleInSentence, str, toCarePeople, type CarePerson } from './compose';
import type { UpstreamResponse } from './forward';
import { ProxyError } from './outcome';
import type { ParsedFhirRequest } from './parse-request';

/** Sends one request to the EHR with the launch's token (the caller refreshes it on a 401). */
export type EhrRead = (req: ParsedFhirRequest) => Promise<UpstreamResponse>;

/**
 * The server's own check of a person a patient chose (to share with, to restrict): the browser
 * sends only an id, and the name kept with the consent is the one the EHR gives here, never a
 * label the browser sent. A Practitioner the EHR knows is accepted and named from its resource;
 * otherwise (not found, not readable under the launch's scopes, no name) the patient's care people
 * decide: their CareTeams and recent Encounters, read with the launch's token. Anyone else is
 * `unknown-person`. A preview (the words the patient confirmed) must contain one of the EHR's
 * names for the person, or it is `preview-mismatch`: the page showed one person and sent another.
 * An EHR that fails is `upstream-error`, so nothing is recorded on a guess.
 */
async function search(send: EhrRead, patientId: string, resourceType: string, query: Record<string, string>): Promise<Bundle | undefined> {
  const res = await send({ interaction: 'search', resourceType, query: new URLSearchParams({ patient: `Patient/${patientId}`, ...query }) });
  if (res.status >= 500 || res.status === 429) throw new ProxyError('upstream-error', `${resourceType} search ${res.status}`);
  return res.status === 200 && obj(res.body)?.resourceType === 'Bundle' ? (res.body as Bundle) : undefined;
}

/** The patient's care people as the EHR lists them (named by display only: no Practitioner reads). */
async function carePeopleAtEhr(send: EhrRead, ctx: { patientId: string; now: Date }, names?: Map<string, string | null>): Promise<CarePerson[]> {
  const [careTeams, encounters] = await Promise.all([search(send, ctx.patientId, 'CareTeam', { _count: '50' }), search(send, ctx.patientId, 'Encounter', { _sort: '-date', _count: '50' })]);
  return toCarePeople({ careTeams: [careTeams], encounters: [encounters], patientId: ctx.patientId, now: ctx.now, names });
}

async function practitionerName(send: EhrRead, id: string): Promise<string | undefined> {
  const read = await send({ interaction: 'read', resourceType: 'Practitioner', id, query: new URLSearchParams() });
  const body = obj(read.body);
  return read.status === 200 && body?.resourceType === 'Practitioner' && str(body.id) === id ? nameOfResource(body) : undefined;
}

/**
 * Names and roles for the people in a patient's access history (`Practitioner/{id}` references):
 * the patient's care people first ("your GP"), then a Practitioner read for anyone else (a name
 * without a role), at most `max` reads. Only Practitioners: the history never names another
 * patient. Reads that fail name no one (the page says "a clinician, name not available").
 */
export async function namePeopleInHistory(send: EhrRead, ctx: { patientId: string; now: Date }, references: readonly string[], max = 20): Promise<Map<string, { name: string; role?: string }>> {
  const out = new Map<string, { name: string; role?: string }>();
  const wanted = [...new Set(references.filter((r) => /^Practitioner\/[A-Za-z0-9\-.]{1,64}$/.test(r)))];
  if (wanted.length === 0) return out;
  const read = async (id: string) => practitionerName(send, id).catch(() => undefined);
  const asked = wanted.slice(0, max);
  const answers = await Promise.all(asked.map((ref) => read(ref.slice('Practitioner/'.length))));
  const names = new Map<string, string | null>(asked.map((ref, i) => [ref, answers[i] ?? null]));
  const care = await carePeopleAtEhr(send, ctx, names).catch(() => [] as CarePerson[]);
  for (const p of care) if (wanted.includes(p.reference)) out.set(p.reference, { name: p.name, role: roleInSentence(p.role) });
  for (const [ref, name] of names) if (name && !out.has(ref)) out.set(ref, { name });
  return out;
}

export async function confirmCarePerson(send: EhrRead, ctx: { patientId: string; now: Date; preview?: string }, practitionerId: string): Promise<{ reference: string; name: string }> {
  const reference = `Practitioner/${practitionerId}`;
  // The words the patient confirmed must name this person, by a name the EHR gives them.
  const fits = (name: string | undefined): name is string => !!name && (ctx.preview === undefined || ctx.preview.includes(name));
  const read = await send({ interaction: 'read', resourceType: 'Practitioner', id: practitionerId, query: new URLSearchParams() });
  if (read.status >= 500 || read.status === 429) throw new ProxyError('upstream-error', `Practitioner read ${read.status}`);
  const body = obj(read.body);
  const resourceName = read.status === 200 && body?.resourceType === 'Practitioner' && str(body.id) === practitionerId ? nameOfResource(body) : undefined;
  if (fits(resourceName)) return { reference, name: resourceName };
  // Not readable, not found, nameless, or known by another name (a care team's display): the care people decide.
  const careName = (await carePeopleAtEhr(send, ctx)).find((p) => p.reference === reference)?.name;
  if (fits(careName)) return { reference, name: careName };
  throw new ProxyError(resourceName || careName ? 'preview-mismatch' : 'unknown-person');
}
