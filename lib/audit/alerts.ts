import 'server-only';
import type { Store } from '../store';
import { DEFAULT_UNUSUAL_ACCESS_POLICY, findUnusualAccess, lookbackMs, type UnusualAccess, type UnusualAccessPolicy } from './unusual-access';

/** The unusual-access findings now, from the store's audit log and ended launches (lib/audit unusual-access.ts). */
export async function unusualAccessNow(store: Pick<Store, 'audit' | 'launches'>, now: number = Date.now(), policy: UnusualAccessPolicy = DEFAULT_UNUSUAL_ACCESS_POLICY): Promise<UnusualAccess[]> {
  const since = now - lookbackMs(policy);
  const [access, ended] = await Promise.all([store.audit.withActorsSince(since), store.launches.endedSince(since)]);
  return findUnusualAccess(access, ended, now, policy);
}
