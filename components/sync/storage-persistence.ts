/** The parts of `navigator.storage` persistence needs (injected, so tests can play each browser). */
export interface StorageManagerLike {
  persisted?(): Promise<boolean>;
  persist?(): Promise<boolean>;
}

/** Remembers, per partition, that the browser was already asked (an operational record in the encrypted store). */
export interface AskedMemory {
  asked(): Promise<boolean>;
  markAsked(): Promise<void>;
}

/**
 * Asks the browser once per partition not to evict Housecall's storage
 * (`navigator.storage.persist()`), the first time this partition holds work that is not yet on
 * the server. Some browsers prompt, so it is asked once and only when there is something to
 * keep; after that the current answer (`persisted()`) is reported. Memory-only stores have
 * nothing to persist. Never throws: a refused or missing API is `false`.
 */
export async function ensurePersistence(storage: StorageManagerLike | undefined, memory: AskedMemory, options: { storeIsPersistent: boolean; hasUnsentWork: boolean }): Promise<boolean> {
  if (!options.storeIsPersistent || !storage?.persist) return false;
  try {
    if (storage.persisted && (await storage.persisted())) return true;
    if (!options.hasUnsentWork || (await memory.asked())) return false;
    await memory.markAsked();
    return await storage.persist();
  } catch {
    return false;
  }
}
