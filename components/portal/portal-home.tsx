'use client';
import { gatherAttention, type AttentionItem } from '@/lib/portal/attention';
import { AttentionList } from './attention-list';
import { ATTENTION_SOURCES } from './attention-sources';

/** The top of the home: items from every attention source (and the server's, such as shares ending), urgent first. */
export function PortalAttention({ launchId, serverItems }: { launchId: string; serverItems: AttentionItem[] }) {
  const found = ATTENTION_SOURCES.map((useSource) => useSource(launchId));
  return <AttentionList {...gatherAttention(found, serverItems)} />;
}
