import { describe, expect, it } from 'vitest';
import { OfflineStoreError } from '@/lib/offline';
import { writeFailure } from './write-failure';

describe('writeFailure', () => {
  it('says why in the store’s own words, and that this change was not saved but is still on screen', () => {
    expect(writeFailure(new OfflineStoreError('quota-exceeded'))).toBe('This device has no room left for Housecall’s offline copy. Unsent changes are kept; older cached data was cleared. This change was not saved; what you entered is still here, so you can try again or copy it.');
    expect(writeFailure(new OfflineStoreError('connection-lost'))).toMatch(/^The browser closed Housecall’s storage .* This change was not saved/);
    // A change made after the browser cleared the store under the page (lib/sync refuseWhenStorageLost).
    expect(writeFailure(new OfflineStoreError('storage-lost'))).toBe('This browser cleared Housecall’s storage on this device, so no change can be kept here until the page is loaded again. This change was not saved; what you entered is still here, so you can try again or copy it.');
    expect(writeFailure(new TypeError('x'))).toMatch(/^Housecall could not keep this change on this device\. This change was not saved/);
  });
});
