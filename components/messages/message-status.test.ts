import { describe, expect, it } from 'vitest';
import { messageStage, stageWords } from './message-status';

describe('message stages (outbox states shown for messages)', () => {
  it.each([
    ['pending', false, 'waiting'],
    ['in-flight', false, 'sending'],
    ['failed', false, 'failed'],
    ['needs-review', false, 'needs-review'],
    ['synced', false, 'sent'],
    ['synced', true, 'read'],
  ] as const)('an entry %s (received %s) is %s', (state, received, stage) => {
    expect(messageStage({ state }, received)).toBe(stage);
  });

  it('a message from the EHR with no entry is sent, or read once received', () => {
    expect(messageStage(undefined, false)).toBe('sent');
    expect(messageStage(undefined, true)).toBe('read');
  });

  it('says why a message was refused, by its stable code', () => {
    expect(stageWords('failed', { lastError: { code: 'recipient-not-allowed', status: 403 } })).toContain('do not allow messages to this person');
    expect(stageWords('failed', { lastError: { code: 'attachment-too-large', status: 413 } })).toContain('5 MB');
    expect(stageWords('failed', { lastError: { code: 'http-500', status: 500 } })).toContain('error 500');
  });
});
