/**
 * Test helper run as its own process (lib/store/sqlite-processes.test.ts): opens the SQLite store
 * at argv[2] and appends argv[3] audit events, as a second Housecall process (the support script
 * beside the server) would.
 */
import { recordAudit } from '../lib/audit';
import { openSqliteStore, StoreKey } from '../lib/store';

async function main(): Promise<void> {
  const [file, count, tag] = process.argv.slice(2);
  const store = await openSqliteStore(file!, StoreKey.fromBase64(Buffer.alloc(32, 7).toString('base64')));
  for (let i = 0; i < Number(count); i++) {
    await recordAudit(store.audit, { category: 'session', outcome: 'success', subtype: 'process-test', actor: { fhirUser: null, clientId: 'housecall', issuerId: 'sandbox' }, patientId: null, launchId: `${tag}-${i}` });
  }
  await store.close();
}

void main().then(
  () => process.exit(0),
  (error: unknown) => {
    process.stderr.write(`${(error as Error).message}\n`);
    process.exit(1);
  },
);
