export { parseFhirRequest, ALLOWED_INCLUDES, type ParsedFhirRequest, type Interaction } from './parse-request';
export { authorizeFhirRequest, authorizeWriteBody } from './authorize';
export { filterResponse, rewriteUrl } from './filter-response';
export { ProxyError, operationOutcome, outcomeCode, OUTCOMES, OUTCOME_SYSTEM, type OutcomeCode } from './outcome';
export { inCompartment, isKnownType, PATIENT_TYPES, SHARED_TYPES } from './compartment';
export type { ResourceGrant, Permission } from './grants';
export * from './compose';
export { fhirResponse, outcomeResponse } from './respond';
