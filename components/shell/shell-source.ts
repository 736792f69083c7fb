import type { PartitionOwner } from '@/lib/offline';

/**
 * The source label the offline shell shows beside each entry. Online the server names the
 * issuer from its configuration; offline there is no server to ask, so the label is the host of
 * the issuer's FHIR base URL kept in the partition's owner record (the base itself when it is
 * not a URL).
 */
export function shellSource(owner: Pick<PartitionOwner, 'issuer'>): string {
  try {
    return new URL(owner.issuer).host || owner.issuer;
  } catch {
    return owner.issuer;
  }
}
