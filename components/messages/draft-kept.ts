/** Where the compose form's draft is: nothing typed yet, being kept, kept on the device, kept in memory only. */
export type DraftKept = 'nothing' | 'saving' | 'device' | 'memory';

/**
 * The one line under the message box that says where the draft is. After the browser cleared
 * Housecall's storage under the page (sync stopped with `storage-lost`), nothing typed is kept
 * any more: saying "kept on this device" then would be false, so the line says so and what to do.
 */
export function draftKeptLine(kept: DraftKept, persistent: boolean, storageLost: boolean): string {
  if (storageLost) return 'This browser cleared Housecall’s storage on this device, so this draft is not kept: copy your text, then load the page again.';
  if (kept === 'device') return 'Draft kept on this device. Not sent yet.';
  if (kept === 'memory') return 'Draft kept while this page is open: this browser does not let Housecall keep it across a reload. Not sent yet.';
  if (kept === 'saving') return 'Keeping your draft…';
  return persistent ? 'Your draft is kept on this device as you type.' : 'Your draft is kept while this page is open.';
}
