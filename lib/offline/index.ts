export { createOffline, WIPE_CHANNEL, type KeyLocks, type Offline, type OfflineOptions, type WipeScope } from './offline';
export { purgeRecords, matchesPurge, type PurgeFilter, type PurgeLabel } from './purge';
export type { RecordStore, RecordInput, RecordRef, StoredRecord, ReadOptions, DroppedRecord, DamagedRecord, ClassStats } from './record-store';
export { UNSENT_WORK_TYPES } from './record-store';
export { partitionId, databaseName, DATABASE_PREFIX, KEY_DATABASE, type PartitionOwner } from './partition';
export {
  DATA_CLASSES,
  DEFAULT_RETENTION,
  EVICTION_ORDER,
  classForResourceType,
  isExpired,
  type DataClass,
  type RetentionPolicy,
} from './retention';
export { OfflineStoreError, OFFLINE_ERRORS, type OfflineErrorCode } from './errors';
export { browserChannelFactory, createChannelHub, type ChannelFactory, type ChannelLike } from './channel';
export {
  clearHousecallWebStorage,
  browserWebStorage,
  WEB_STORAGE_PREFIX,
  type WebStorageTargets,
  type CacheStorageLike,
  type StorageLike,
} from './web-storage';
export type { IndexedDbDeps } from './dexie-backend';
export { rememberLaunch, partitionOfLaunch, browserDirectoryStorage, OWNER_RECORD, type DirectoryStorage } from './launch-directory';
