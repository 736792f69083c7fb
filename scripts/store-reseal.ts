/**
 * `npm run store:reseal`: after a new key was put first in HOUSECALL_STORE_KEY (the old ones
 * after it), seals every sealed value of the store again under the new key and prints how many
 * per table. Safe beside the running app (each row is swapped only if unchanged). When it reports
 * nothing unreadable, the old keys can be removed from HOUSECALL_STORE_KEY. Exit code 1 when some
 * value opened under none of the keys given.
 */
import { serverEnv } from '../lib/env';
import { getStore, resealAll, StoreKey } from '../lib/store';

async function main(): Promise<void> {
  const env = serverEnv();
  if (!env.HOUSECALL_STORE_KEY) throw new Error('HOUSECALL_STORE_KEY is not set: there is nothing sealed to keep (an ephemeral key dies with its process)');
  const store = await getStore();
  const counts = await resealAll(store.db, StoreKey.fromBase64(env.HOUSECALL_STORE_KEY));
  process.stdout.write('| table | rows | sealed again | already under the current key | unreadable | changed meanwhile |\n| --- | --- | --- | --- | --- | --- |\n');
  for (const c of counts) process.stdout.write(`| ${c.table} | ${c.rows} | ${c.resealed} | ${c.current} | ${c.unreadable} | ${c.changedMeanwhile} |\n`);
  const unreadable = counts.reduce((n, c) => n + c.unreadable, 0);
  if (unreadable > 0) {
    process.stdout.write(`${unreadable} value(s) open under none of the keys given: keep every older key until they are gone (launches end, drafts are sent, held changes expire) or add the key that sealed them\n`);
    process.exitCode = 1;
  } else {
    process.stdout.write('every sealed value is under the first key: the other keys can be removed from HOUSECALL_STORE_KEY\n');
  }
}

void main().then(() => process.exit(), (e: unknown) => {
  process.stderr.write(`${(e as Error).message}\n`);
  process.exit(2);
});
