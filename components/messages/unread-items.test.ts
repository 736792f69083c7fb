import type { Bundle, Communication } from '@medplum/fhirtypes';
import { describe, expect, it } from 'vitest';
import { buildSeed, MESSAGE_FACTS, messageId } from '@/fixtures';
import { unreadItems } from './unread-items';

const seeded = buildSeed().patients[0]!.resources.filter((r): r is Communication => r.resourceType === 'Communication');
const bundle = (list: Communication[]): Bundle => ({ resourceType: 'Bundle', type: 'searchset', entry: list.map((resource) => ({ resource })) });

describe('unreadItems (the portal home line)', () => {
  it('names the seeded unread message from the GP, linking to its thread', () => {
    expect(unreadItems(bundle(seeded), 'L1')).toEqual([
      { kind: 'messages', title: 'New message from Dr. Quinn Placebo', detail: MESSAGE_FACTS.unreadTopic, href: `/l/L1/portal/messages/${messageId('pat-001', 5)}` },
    ]);
  });

  it('says nothing once every message is read, or when there are no messages', () => {
    expect(unreadItems(bundle(seeded.map((c) => ({ ...c, received: c.received ?? '2026-11-01T10:00:00Z' }))), 'L1')).toEqual([]);
    expect(unreadItems(undefined, 'L1')).toEqual([]);
  });
});
