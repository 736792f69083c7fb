/**
 * The shape of `POST /_knobs` bodies, checked with zod and normalised: `false` or `null` turns a
 * knob off (stored as null), `true` turns a switch on for every client, and shorthands
 * (`narrowScopes: [...]`, `denyWithDescription: "..."`) become their object form.
 */
import { z } from 'zod';

const off = z.union([z.literal(false), z.null()]).transform(() => null);
const clients = z.array(z.string().min(1).max(200)).min(1).max(50);
const count = z.number().int().min(1).max(1_000_000);
const resourceTypes = z.array(z.string().regex(/^[A-Z][A-Za-z]{1,63}$/)).min(1).max(200);
const scope = z.string().regex(/^[\x21-\x7e]{1,200}$/, 'a scope has no spaces');
const scopes = z.array(scope).min(1).max(100);

const filter = z.strictObject({ clients: clients.optional(), count: count.optional() });
/** `true` (every client, every time), a filter object, or off. */
const switchable = z.union([off, z.literal(true).transform(() => ({})), filter]);
const typedSwitch = z.union([
  off,
  z.literal(true).transform(() => ({})),
  z.strictObject({ clients: clients.optional(), count: count.optional(), resourceTypes: resourceTypes.optional() }),
]);

/** A raw HTTP answer: status, delay and body, any of them. */
const rawFields = {
  status: z.number().int().min(200).max(599).optional(),
  delayMs: z.number().int().min(0).max(600_000).optional(),
  body: z.string().max(64 * 1024).optional(),
  contentType: z.string().regex(/^[\x20-\x7e]{1,200}$/).optional(),
  count: count.optional(),
};
const needsEffect = (value: { status?: number | undefined; delayMs?: number | undefined; body?: string | undefined }) =>
  value.status !== undefined || value.delayMs !== undefined || value.body !== undefined;
const effectMessage = { message: 'give at least one of status, delayMs, body' };

export const knobsPatchSchema = z.strictObject({
  fhirLatencyMs: z.number().int().min(0).max(60_000).optional(),
  accessTokenTtlSeconds: z.number().int().min(1).max(86_400).optional(),
  lowContrastStyle: z.union([off, z.literal(true)]).optional(),

  rejectClient: switchable.optional(),
  narrowScopes: z
    .union([off, scopes.transform((list) => ({ scopes: list })), z.strictObject({ scopes, clients: clients.optional(), count: count.optional() })])
    .optional(),
  /** `"laboratory"` (Observation) or `{resourceType?, category, clients?, count?}`. */
  narrowCategory: z
    .union([
      off,
      z.string().regex(/^[A-Za-z0-9._-]{1,64}$/).transform((category) => ({ resourceType: 'Observation', category })),
      z.strictObject({
        resourceType: z.string().regex(/^[A-Z][A-Za-z]{1,63}$/).default('Observation'),
        category: z.string().regex(/^[A-Za-z0-9._-]{1,64}$/),
        clients: clients.optional(),
        count: count.optional(),
      }),
    ])
    .optional(),
  /** `true`: discovery and every new grant are v1-only; `{clients}` narrows the grants to those clients (discovery is for everyone). */
  v1Only: z.union([off, z.literal(true).transform(() => ({})), z.strictObject({ clients: clients.optional() })]).optional(),
  omitPatient: switchable.optional(),
  discovery: z.union([off, z.strictObject(rawFields).refine(needsEffect, effectMessage)]).optional(),
  tokenEndpoint: z
    .union([off, z.strictObject({ ...rawFields, clients: clients.optional() }).refine(needsEffect, effectMessage)])
    .optional(),
  /** `true` means the next refresh only; a filter object without `count` means every refresh. */
  rejectRefresh: z.union([off, z.literal(true).transform(() => ({ count: 1 })), filter]).optional(),
  denyWithDescription: z
    .union([
      off,
      z.string().min(1).max(2000).transform((description) => ({ description })),
      z.strictObject({ description: z.string().min(1).max(2000), clients: clients.optional(), count: count.optional() }),
    ])
    .optional(),
  /** `true`, or `{clients?, count?}` (count: the next N id_tokens). */
  absoluteFhirUser: switchable.optional(),
  /** `true`, or `{clients?, count?}` (count: the next N id_tokens of practitioners). */
  fhirUserAsRole: switchable.optional(),
  /** `true` only: every EHR launch id from now on works once. */
  singleUseLaunch: z.union([off, z.literal(true).transform(() => ({}))]).optional(),
  /** `true` only: EHR launches from now on send `iss` with a trailing slash. */
  issTrailingSlash: z.union([off, z.literal(true)]).optional(),

  fhir401: switchable.optional(),
  fhirError: z
    .union([
      off,
      z.strictObject({
        status: z.number().int().min(400).max(599),
        retryAfterSeconds: z.number().int().min(0).max(86_400).optional(),
        clients: clients.optional(),
        count: count.optional(),
        resourceTypes: resourceTypes.optional(),
        methods: z.array(z.enum(['GET', 'POST', 'PUT', 'DELETE'])).min(1).max(4).optional(),
      }),
    ])
    .optional(),
  dropAfterWrite: typedSwitch.optional(),
  versionless: z
    .union([
      off,
      z.literal(true).transform(() => ({})),
      z.strictObject({ clients: clients.optional(), resourceTypes: resourceTypes.optional() }),
    ])
    .optional(),
  /** `true`, or `{resourceTypes?, clients?, count?}`: searches withhold their matches with a warning outcome entry. */
  withheldSearch: typedSwitch.optional(),
  /** On by default; `false` lets Observation searches name no category, code or _id. */
  observationSearchFilter: z.union([off, z.literal(true)]).optional(),
  /** `{ patients: ['pat-005'], days: 400 }`: those patients' clinical dates are served `days` earlier. */
  agePatientData: z
    .union([
      off,
      z.strictObject({
        patients: z.array(z.string().regex(/^[A-Za-z0-9\-.]{1,64}$/)).min(1).max(100),
        days: z.number().int().min(1).max(36_500),
      }),
    ])
    .optional(),
  hideDeletionsFromLastUpdated: z
    .literal(true, { error: 'deletions never show in searches (FHIR search cannot return them); use _history to see them' })
    .optional(),
});

export type KnobsPatch = z.infer<typeof knobsPatchSchema>;
