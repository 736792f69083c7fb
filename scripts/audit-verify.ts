/**
 * `npm run audit:verify`: walks the audit log's hash chain and says whether any row was
 * edited, deleted or reordered. Exit code 0 when intact, 1 when broken.
 */
import { getStore } from '../lib/store';

async function main(): Promise<void> {
  const { audit } = await getStore();
  const result = await audit.verify();
  if (result.ok) {
    process.stdout.write(`audit chain intact: ${result.count} events\n`);
    return;
  }
  process.stdout.write(`audit chain BROKEN at event ${result.brokenAtSeq} (${result.reason}); ${result.count} events verified before it\n`);
  process.exitCode = 1;
}

void main();
