/** View models built from FHIR resources, with provenance. Pure: used by the browser and the server. */
export * from './datatypes';
export { valueOf, referenceRangeOf, type ValueView, type RangeView, type NumberFormat } from './values';
export { humanUnit, UCUM_HUMAN } from './units';
export { showNumber, decimalsFor, VITAL_DECIMALS, LAB_SIGNIFICANT_FIGURES } from './precision';
export { referenceName, referenceKey, nameOfResource, namesInBundles, referencesToName, NAMEABLE_TYPES, type NameDirectory } from './people';
export { toCarePeople, searchCarePeople, roleInSentence, RECENT_ENCOUNTER_DAYS, ENCOUNTER_ROLE, CARE_PEOPLE_REQUESTS, type CarePerson, type CarePeopleInput } from './care-team';
export { provenanceOf, type Provenance } from './provenance';
export { entryState, type EntryState } from './status';
export { resourcesOf, itemKey, finishList, hiddenCount, type ComposeContext, type ListItemView, type ListOptions } from './items';
export { toPatientHeader, toAllergyList, toProblemList, type PatientHeaderView } from './summary';
export { toMedicationList } from './medications';
export { toResultSeries, mergeSeries, latestPoint, sparklineOf, seriesNumberText, type ResultSeries, type ResultPoint, type ResultFlag } from './observations';
export { toNeedsAttention, type AttentionItem, type NeedsAttentionView } from './needs-attention';
export { toEncounterTimeline, toDocumentList, toCarePlanList, toTaskList, toImmunizationList, toProcedureList } from './clinical-lists';
export { createNoteDraft, readNoteDraft, documentText, utf8ToBase64, base64ToUtf8, type NoteDraftContext } from './note-draft';
export * from './sections';
export { toThreads, MESSAGES_SEARCH, type MessageView, type ThreadView } from './messages';
export {
  checkAttachmentFile, checkMessageAttachments, attachmentRefusalText, base64Bytes,
  MESSAGE_ATTACHMENT_MAX_BYTES, MESSAGE_ATTACHMENT_MAX_FILES, MESSAGE_ATTACHMENT_TYPES, type AttachmentRefusal,
} from './attachments';
export { toAppointmentLists, toAppointmentView, nextAppointment, appointmentLocationKeys, addressLine, EXPECTED_STATUSES, type AppointmentView, type AppointmentLists, type AppointmentPlace, type AppointmentContext } from './appointments';
export { toImmunizationsGiven, toImmunizationsDue, plainVaccineName, type ImmunizationGivenView, type ImmunizationDueView } from './immunizations';
export { toCarePlanViews, type CarePlanView, type GoalView, type ActivityView } from './care-plans';
export { toDocumentViews, toDocumentView, attachmentSource, checkContent, documentKind, mediaType, SHOWN_TYPES, type DocumentView, type DocumentKind, type DocumentSource, type ContentProblem } from './documents';
export { LAB_DESCRIPTIONS, describeTest, type LabDescription, type TestDescription } from './lab-descriptions';
export { rangeBar, flagWords, statusWords, trendWords, explainResult, groupResultsByDay, newResults, isNewResult, FIRST_LOOK_NEW_DAYS, type RangeBar, type ExplainedResult, type ResultDay } from './results-explained';
