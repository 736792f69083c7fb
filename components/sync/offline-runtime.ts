'use client';
/**
 * Everything of the device store and the sync engine that a page needs only once it is on
 * screen: the encrypted store (Dexie, the cipher), the sync round and its merges. Loaded by
 * `loadOfflineRuntime()` (load-offline.ts) as a chunk of its own, after the page's first code, so a
 * phone downloads and parses the first screen first; the page's first requests go to the network
 * meanwhile and are saved once the store is open.
 */
export { onStoreTrouble, openPartition } from './browser-offline';
export { openSyncEngine } from './open-sync-engine';
export { createAnswerCache } from '@/lib/sync/answer-cache';
export { lostEarlierSentence } from '@/lib/sync/unsent-tally';
export { describe as describeSync } from '@/lib/sync/sync-words';
// What the sync provider does only once the store is open: read the outbox, ask for persistent
// storage, report sync health, and tell which types a sync round settled.
export { readOutbox } from './read-outbox';
export { ensurePersistence } from './storage-persistence';
export { createMetricsReporter } from './report-metrics';
export { settledTypes } from './settled-types';
// The provider's actions: queue, settle, retry, discard, and the device's copies (sync-actions.ts).
export { syncActions, findCreated } from './sync-actions';
