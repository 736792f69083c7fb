import 'server-only';
import type { Bundle } from '@medplum/fhirtypes';
import { nameOfResource, obj, str, toCarePeople } from './compose';
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
 * `unknown-person`; an EHR that fails is `upstream-error`, so nothing is recorded on a guess.
 */
export async function confirmCarePerson(send: EhrRead, ctx: { patientId: string; now: Date }, practitionerId: string): Promise<{ reference: string; name: string }> {
  const reference = `Practitioner/${practitionerId}`;
  const read = await send({ interaction: 'read', resourceType: 'Practitioner', id: practitionerId, query: new URLSearchParams() });
  if (read.status >= 500 || read.status === 429) throw new ProxyError('upstream-error', `Practitioner read ${read.status}`);
  const body = obj(read.body);
  if (read.status === 200 && body?.resourceType === 'Practitioner' && str(body.id) === practitionerId) {
    const name = nameOfResource(body);
    if (name) return { reference, name };
  }
  const search = async (resourceType: string, query: Record<string, string>): Promise<Bundle | undefined> => {
    const res = await send({ interaction: 'search', resourceType, query: new URLSearchParams({ patient: `Patient/${ctx.patientId}`, ...query }) });
    if (res.status >= 500 || res.status === 429) throw new ProxyError('upstream-error', `${resourceType} search ${res.status}`);
    return res.status === 200 && obj(res.body)?.resourceType === 'Bundle' ? (res.body as Bundle) : undefined;
  };
  const [careTeams, encounters] = await Promise.all([search('CareTeam', { _count: '50' }), search('Encounter', { _sort: '-date', _count: '50' })]);
  const found = toCarePeople({ careTeams: [careTeams], encounters: [encounters], patientId: ctx.patientId, now: ctx.now }).find((p) => p.reference === reference);
  if (!found) throw new ProxyError('unknown-person');
  return { reference, name: found.name };
}
