export { decide, mustRedact } from './decide';
export { REASONS, type Decision, type DecisionPolicy, type Obligation, type ReasonCode, type DataElement } from './types';
export {
  decisionRequestSchema,
  actorSchema,
  codingSchema,
  type DecisionRequest,
  type DecisionRequestInput,
  type DecisionActor,
} from './schema';
export {
  transition,
  effectiveStatus,
  consentHistory,
  ConsentTransitionError,
  CONSENT_EVENTS,
  TRANSITIONS,
  TRANSITION_ERRORS,
  HISTORY_EXTENSION_URL,
  type ConsentEvent,
  type ConsentHistoryEntry,
  type EffectiveStatus,
  type TransitionErrorCode,
  type TransitionResult,
} from './lifecycle';
export { isPatientDefault } from './evaluate';
export { findOverlaps, OVERLAP_FINDINGS, type OverlapCode, type OverlapFinding } from './overlap';
export {
  shareWith,
  shareWithPractitioner,
  restrictLabels,
  restrictActor,
  restrictAll,
  patientDefault,
  shareLinkRecipient,
  SHARE_LINK_RECIPIENT_PREFIX,
  PATIENT_DEFAULT_CATEGORY,
  LABELS,
  type ConsentBaseOptions,
  type ShareOptions,
} from './build';
export { CONSENT_SYSTEMS, CONSENT_ACTIONS, BREAK_GLASS_NEVER_OVERRIDES, normalizeReference, type ConsentActionCode } from './codes';
export { applyConsent, decideForResource, decideForType, decidingConsents, permitsResource, hiddenByConsent, hiddenAcross, whyHidden, withheldSearchset, CONSENT_HIDDEN_EXTENSION, CONSENT_HIDDEN_ALL, CONSENT_WHY_SYSTEM, CONSENT_TOTAL_SYSTEM, type ApplyOptions, type ConsentContext, type ConsentAction, type ConsentFiltered } from './enforce';
export { consentDirective, type ConsentDirectiveBody } from './directive';
export { describeConsent, describeWhyHidden, describeResourceTypes, consentSentence, CONSENT_PREVIEW_EXTENSION, type ConsentSummary } from './describe';
export { allowedRecipients, recipientDecision } from './recipients';
