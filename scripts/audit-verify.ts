/**
 * `npm run audit:verify`: walks every audit hash chain (one per app instance) and the anchors
 * that tie them together, and says whether any row or anchor was edited, deleted or reordered, or
 * a chain cut back behind its last anchor. Exit code 0 when intact, 1 when broken.
 */
import { getStore } from '../lib/store';

async function main(): Promise<void> {
  const { audit } = await getStore();
  const result = await audit.verify();
  if (result.ok) {
    process.stdout.write(`audit log intact: ${result.count} events in ${result.chains} chain(s), ${result.anchors} anchor(s)\n`);
    process.stdout.write('(rows appended after the last anchor are verified by their links only: cutting them from a chain\'s tail is not detectable until anchored)\n');
    return;
  }
  const where = [result.chainId ? `chain ${result.chainId}` : '', result.brokenAtSeq !== undefined ? `event ${result.brokenAtSeq}` : '', result.anchorSeq !== undefined ? `anchor ${result.anchorSeq}` : ''].filter(Boolean).join(', ');
  process.stdout.write(`audit log BROKEN at ${where} (${result.reason}); ${result.count} events verified before it\n`);
  process.exitCode = 1;
}

void main().then(() => process.exit());
