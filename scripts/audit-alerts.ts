/**
 * `npm run audit:alerts`: the unusual-access findings now (lib/audit unusual-access.ts), with the
 * user each concerns, for support staff who can read the store. Prints no patient. Exit code 0
 * when there are none, 3 when there are (a monitor can act on it).
 */
import { unusualAccessNow } from '../lib/audit';
import { getStore } from '../lib/store';

const times = (n: number) => (n === 1 ? 'once' : `${n} times`);
const WHAT: Record<string, (n: number) => string> = {
  'many-patients': (n) => `opened the records of ${n} patients`,
  'repeated-denials': (n) => `was refused ${times(n)}`,
  'refresh-failures': (n) => `had ${n} launches ended by refused token refreshes`,
  'break-glass': (n) => `used emergency access ${times(n)}`,
};

async function main(): Promise<void> {
  const store = await getStore();
  const findings = await unusualAccessNow(store);
  if (findings.length === 0) {
    process.stdout.write('no unusual access\n');
  } else {
    for (const f of findings) {
      const who = f.actor ? `${f.actor} at ${f.issuerId}` : `issuer ${f.issuerId}`;
      process.stdout.write(`${f.rule}: ${who} ${WHAT[f.rule]!(f.count)} in the last ${f.windowMinutes} minutes\n`);
    }
    process.exitCode = 3;
  }
  await store.close();
}

void main();
