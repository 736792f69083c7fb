import { describe, expect, it, vi } from 'vitest';
import { ensurePersistence, type AskedMemory } from './storage-persistence';

function memory(initially = false): AskedMemory & { value: boolean } {
  const m = {
    value: initially,
    asked: async () => m.value,
    markAsked: async () => void (m.value = true),
  };
  return m;
}

describe('ensurePersistence', () => {
  it('asks once per partition, when work first becomes pending, and reports the answer', async () => {
    const persist = vi.fn(async () => true);
    const storage = { persisted: async () => false, persist };
    const m = memory();
    expect(await ensurePersistence(storage, m, { storeIsPersistent: true, hasUnsentWork: false })).toBe(false);
    expect(persist).not.toHaveBeenCalled();
    expect(await ensurePersistence(storage, m, { storeIsPersistent: true, hasUnsentWork: true })).toBe(true);
    expect(await ensurePersistence(storage, m, { storeIsPersistent: true, hasUnsentWork: true })).toBe(false);
    expect(persist).toHaveBeenCalledTimes(1);
    expect(m.value).toBe(true);
  });

  it('reports a grant the browser already made without asking again', async () => {
    const persist = vi.fn(async () => true);
    expect(await ensurePersistence({ persisted: async () => true, persist }, memory(true), { storeIsPersistent: true, hasUnsentWork: false })).toBe(true);
    expect(persist).not.toHaveBeenCalled();
  });

  it('reports a refusal, and never asks for a memory-only store or without the API', async () => {
    expect(await ensurePersistence({ persisted: async () => false, persist: async () => false }, memory(), { storeIsPersistent: true, hasUnsentWork: true })).toBe(false);
    const persist = vi.fn(async () => true);
    expect(await ensurePersistence({ persist }, memory(), { storeIsPersistent: false, hasUnsentWork: true })).toBe(false);
    expect(persist).not.toHaveBeenCalled();
    expect(await ensurePersistence(undefined, memory(), { storeIsPersistent: true, hasUnsentWork: true })).toBe(false);
    expect(await ensurePersistence({ persist: () => Promise.reject(new Error('refused')) }, memory(), { storeIsPersistent: true, hasUnsentWork: true })).toBe(false);
  });
});
