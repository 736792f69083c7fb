'use client';
import { createContext, useContext } from 'react';
import type { PartitionOwner } from '@/lib/offline';

/** What every portal page's client parts know of the launch: its id, the partition owner, the source's name and the parts granted. */
export interface PortalContextValue {
  launchId: string;
  owner: PartitionOwner;
  source: string;
  /** Whether the EHR granted each portal part what it needs (lib/smart portal-parts.ts). */
  parts: Record<string, boolean>;
}

const PortalContext = createContext<PortalContextValue | null>(null);

export function PortalProvider({ value, children }: { value: PortalContextValue; children: React.ReactNode }) {
  return <PortalContext.Provider value={value}>{children}</PortalContext.Provider>;
}

/** The portal's launch context, or null outside the portal layout. */
export function usePortal(): PortalContextValue | null {
  return useContext(PortalContext);
}
