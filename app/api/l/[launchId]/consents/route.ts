import type { Consent } from '@medplum/fhirtypes';
import { recordAudit } from '@/lib/audit';
import { CONSENT_PREVIEW_EXTENSION, LABELS, patientDefault, restrictActor, restrictLabels, shareWithPractitioner } from '@/lib/consent';
import { fhirResponse, outcomeResponse, ProxyError } from '@/lib/fhir';
import { confirmCarePerson, forwardToEhr } from '@/lib/fhir/server';
import { findIssuerById, LaunchError, requireLaunch, requirePatientSelf, sendWithFreshToken, smartConfig } from '@/lib/smart';
import { getStore, type LaunchRecord } from '@/lib/store';
import { recordAtEhr } from './record-at-ehr';
import { newConsentSchema, type NewConsent } from './schema';

export const dynamic = 'force-dynamic';
type Ctx = { params: Promise<{ launchId: string }> };

const LABEL_BY_CODE = {
  PSY: LABELS.mentalHealth, SUD: LABELS.substanceUse, ETH: LABELS.substanceAbuse, HIV: LABELS.hiv, SEX: LABELS.sexualHealth,
  R: LABELS.restricted, V: LABELS.veryRestricted,
} as const;

const previewOf = (preview: string | undefined) => (preview ? { extension: [{ url: CONSENT_PREVIEW_EXTENSION, valueString: preview }] } : {});

/** `person`: the name the EHR gave for the chosen practitioner (confirmCarePerson), never the browser's label. */
function build(input: NewConsent, patientId: string, now: Date, person: string | undefined): Consent & { id: string } {
  const id = crypto.randomUUID();
  const dateTime = now.toISOString();
  switch (input.kind) {
    case 'restrict-practitioner':
      return { ...previewOf(input.preview), ...restrictActor({ patientId, id, dateTime, actor: `Practitioner/${input.practitionerId}`, display: person }), id };
    case 'patient-default':
      return { ...patientDefault({ patientId, id, dateTime, rule: input.rule }), id };
    case 'restrict-labels':
      return { ...restrictLabels({ patientId, id, dateTime, labels: input.labels.map((l) => LABEL_BY_CODE[l]) }), id };
    case 'share-with-practitioner':
      return {
        ...previewOf(input.preview),
        ...shareWithPractitioner({ patientId, id, dateTime, practitionerId: input.practitionerId, display: person, resourceTypes: input.resourceTypes, period: { start: dateTime, end: new Date(now.getTime() + input.days * 86_400_000).toISOString() } }),
        id,
      };
  }
}

/**
 * The person a share or restriction names, checked with the EHR (one of the patient's care
 * people or a Practitioner it knows) and named by it; the preview the patient confirmed must name
 * the same person, or the browser showed one person and sent another.
 */
async function chosenPerson(input: NewConsent, launch: LaunchRecord & { patientId: string }, store: Awaited<ReturnType<typeof getStore>>): Promise<string | undefined> {
  if (input.kind !== 'share-with-practitioner' && input.kind !== 'restrict-practitioner') return undefined;
  const issuer = findIssuerById(smartConfig(), launch.issuerId);
  if (!issuer) throw new ProxyError('launch-ended');
  const deps = { store: store.launches, config: smartConfig() };
  const send = (req: Parameters<typeof forwardToEhr>[0]) => sendWithFreshToken(launch, deps, (accessToken) => forwardToEhr(req, { fhirBase: issuer.fhirBaseUrl, accessToken }));
  const { name } = await confirmCarePerson(send, { patientId: launch.patientId, now: new Date(), preview: input.preview }, input.practitionerId).catch((e: unknown) => {
    throw e instanceof LaunchError ? new ProxyError('launch-ended') : e;
  });
  return name;
}

async function patientLaunch(request: Request, launchId: string): Promise<{ launch: LaunchRecord & { patientId: string }; store: Awaited<ReturnType<typeof getStore>> }> {
  const store = await getStore();
  const launch = requirePatientSelf(await requireLaunch(launchId, request, store.launches));
  return { launch, store };
}

/** The patient's consents, current versions. */
export async function GET(request: Request, ctx: Ctx): Promise<Response> {
  try {
    const { launch, store } = await patientLaunch(request, (await ctx.params).launchId);
    return fhirResponse(200, { resourceType: 'Bundle', type: 'searchset', entry: (await store.consents.listForPatient({ issuerId: launch.issuerId, patientId: launch.patientId })).map((resource) => ({ resource })) });
  } catch (e) {
    return outcomeResponse(e);
  }
}

/** Records a consent the patient confirmed. */
export async function POST(request: Request, ctx: Ctx): Promise<Response> {
  try {
    const { launchId } = await ctx.params;
    const parsed = newConsentSchema.safeParse(await request.json().catch(() => null));
    if (!parsed.success) throw new ProxyError('invalid-body', parsed.error.issues[0]?.message);
    const { launch, store } = await patientLaunch(request, launchId);
    const person = await chosenPerson(parsed.data, launch, store);
    const saved = await store.consents.save(build(parsed.data, launch.patientId, new Date(), person), { issuerId: launch.issuerId, patientId: launch.patientId });
    await recordAudit(store.audit, {
      category: 'consent', outcome: 'success', subtype: `consent-${parsed.data.kind}`, actor: { fhirUser: launch.fhirUser, clientId: 'housecall', issuerId: launch.issuerId },
      patientId: launch.patientId, launchId, entity: { reference: `Consent/${saved.id}` },
    });
    await recordAtEhr(store, launch);
    return fhirResponse(201, saved);
  } catch (e) {
    return outcomeResponse(e);
  }
}
