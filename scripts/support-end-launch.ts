/**
 * `npm run support:end-launch -- <launchId>`: support ends one launch (scripts/support/end-launch.ts);
 * its browser erases Housecall's copy of the record on its next sync round. Exit code 0 when
 * ended (or already ended), 1 when there is no such launch, 2 on a usage error.
 */
import { userInfo } from 'node:os';
import { smartConfig } from '../lib/smart';
import { getStore } from '../lib/store';
import { supportEndLaunch } from './support/end-launch';

async function main(): Promise<void> {
  const launchId = process.argv[2];
  if (!launchId || !/^[A-Za-z0-9_-]{16,64}$/.test(launchId)) {
    process.stdout.write('usage: npm run support:end-launch -- <launchId>\n');
    process.exitCode = 2;
    return;
  }
  const result = await supportEndLaunch(launchId, { store: await getStore(), config: smartConfig(), operator: process.env.SUPPORT_OPERATOR ?? userInfo().username });
  if (result.outcome === 'not-found') {
    process.stdout.write(`no launch ${launchId}\n`);
    process.exitCode = 1;
  } else if (result.outcome === 'already-ended') {
    process.stdout.write(`launch ${launchId} had already ended (${result.endReason ?? 'unknown'}); nothing changed\n`);
  } else {
    process.stdout.write(`launch ${launchId} ended (support-ended), tokens revoked, audited; its browser erases its copy on its next sync\n`);
  }
}

void main();
