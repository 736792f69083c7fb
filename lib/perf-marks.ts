/**
 * Names the browser's performance timeline carries for Housecall's first screen, shared by the
 * components that record them and by what reads them (bench/phone.ts).
 * - `elementtiming` on a summary section's first entry: Chromium records when it was first painted
 *   (Element Timing), which is when it is on screen, whatever else the page's thread is doing.
 * - a User Timing mark when the summary's scripts have run (before that, its links and sign-out
 *   work as plain page loads and a form post).
 */
export const SUMMARY_INTERACTIVE_MARK = 'housecall:summary-interactive';

export function firstEntryTiming(sectionId: string): string {
  return `first-${sectionId}`;
}
