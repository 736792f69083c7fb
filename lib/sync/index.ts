export {
  next,
  INITIAL_SYNC_STATE,
  type SyncState,
  type SyncEvent,
  type OutboxSummary,
  type StopReason,
  type WipeDetail,
  type WaitReason,
} from './sync-state';
export { describe, type DescribeOptions } from './sync-words';
export {
  transition,
  canTransition,
  summarize,
  unsynced,
  TRANSITIONS,
  OutboxTransitionError,
  type OutboxEntry,
  type OutboxEvent,
  type OutboxState,
  type OutboxOp,
  type OutboxError,
  type OutboxConflict,
} from './outbox';
export {
  backoffDelay,
  parseRetryAfter,
  retryTime,
  selectReady,
  rewriteReferences,
  applySynced,
  DEFAULT_BACKOFF,
  type BackoffPolicy,
  type Blocks,
} from './schedule';
export { mutations, enqueue, type Mutations, type MutationName, type MutationArgs, type MutationBase, type MutationContext, type Change } from './mutations';
export { buildRequest, classify, uploadEntry, outcomeCodeOf, IDEMPOTENCY_SYSTEM, type UploadDeps, type UploadStep } from './upload';
export { uploadOutbox, queueMutation, recoverInterrupted, type UploadReport } from './upload-queue';
export {
  mergePatient,
  resolveAutomatically,
  resolveConflict,
  mergeAudit,
  isAutoMergeable,
  rebase,
  type MergeResult,
  type Resolution,
  type ResolutionAudit,
  type ResolutionDecision,
} from './merge';
export { diffFields, type FieldDiff } from './diff-fields';
export { LIST_KEYS, DEMOGRAPHIC_LISTS, entryRef, entryFingerprint, locateEntry, EntryNotFoundError, type EntryRef } from './list-keys';
export { chooseStrategy, firstRequestUrl, readPage, foldPage, completeRun, serverTime, sweepFor, type DeltaStrategy, type DownloadTarget, type Cursor, type Sweep } from './delta';
export { downloadTarget, downloadAll, DEFAULT_SWEEP_EVERY_MS, type DownloadDeps, type DownloadReport, type DownloadStatus } from './download';
export { readCurrent, type ShownCopy } from './read-current';
export { createSyncStore, filterThroughPending, outboxHint, type SyncStore, type CacheChange, type DamagedChange, type ServerChanges } from './sync-store';
export { createSyncRound, type SyncRoundDeps, type SyncRoundResult, type RoundOutcome, type RoundWait } from './run-sync';
export { createCoordinator, attachBrowserTriggers, eventForRound, type Coordinator, type CoordinatorDeps, type LocksLike, type RoundContext, type Timers, type SyncTrigger, type TriggerResult } from './coordinator';
export { metricsSnapshot, reportKey, type ClientMetrics, type MetricsInput, type SyncCounters } from './metrics';
export { createProxyTransport, type ProxyTransportOptions } from './transport';
export { contentHash, canonicalJson, sameContent, versionKey, type ContentHasher } from './content-hash';
export type { Transport, TransportRequest, TransportResponse, Clock, Random, HttpMethod } from './ports';
export {
  applyConsentDirective,
  fetchConsentDirective,
  screenMustAskAgain,
  planConsentHolds,
  permitsEntry,
  withheldByLabels,
  consentDirectiveSchema,
  CONSENT_VERSION_REF,
  type ConsentDirective,
  type ConsentFetch,
  type ConsentReport,
  wipePartition,
  type WipeReason,
  type WipeReport,
} from './consent-sync';
export {
  readThrough,
  AnswerError,
  isUnreachable,
  type AnswerCache,
  type SavedAnswer,
  type ThroughResult,
  type ReadThroughDeps,
} from './read-through';
export { reapplyOnTheirs } from './reapply';
export { createHeldChanges, readmitHeld, heldEntrySchema, heldHandoverSchema, HELD_LIMITS, type HeldChanges, type GiveResult } from './held-changes';
export { isWithdrawn } from './read-through';
export { answerClass, typesIn, pathResourceType, ANSWER_TYPE, createAnswerCache } from './answer-cache';
export { trackUnsent, withLostStorageCheck } from './lost-storage';
