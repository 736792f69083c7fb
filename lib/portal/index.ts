export { sortAttention, newResultItems, outboxItems, expiringShareItems, portalResultPath, SHARE_SOON_MS, type AttentionItem, type ExpiringShare } from './attention';
