'use client';
import { useEffect, useState } from 'react';
import { browserChannelFactory, clearHousecallWebStorage, browserWebStorage, createOffline } from '@/lib/offline';

/**
 * Crypto-shreds this launch's offline partition (key and database) here and, through the
 * BroadcastChannel, in every other tab; clears what Housecall kept in web storage.
 */
export function LocalDataWipe({ partition }: { partition: string }) {
  const [state, setState] = useState<'working' | 'done' | 'failed'>('working');
  useEffect(() => {
    if (!/^[0-9a-f]{32}$/.test(partition)) {
      setState('failed');
      return;
    }
    const offline = createOffline({
      indexedDB: typeof indexedDB === 'undefined' ? undefined : { indexedDB, IDBKeyRange },
      channel: browserChannelFactory(),
      webStorage: browserWebStorage(),
    });
    offline
      .wipe({ partition })
      .then(() => clearHousecallWebStorage(browserWebStorage()))
      .then(() => setState('done'), () => setState('failed'))
      .finally(() => offline.dispose());
  }, [partition]);
  return (
    <p className="mt-3 text-gray-700" data-testid="local-wipe" data-state={state} role="status">
      {state === 'working' ? 'Erasing Housecall’s copy on this device…' : state === 'done' ? 'Housecall’s copy of this record on this device has been erased.' : 'Housecall could not confirm that its copy on this device was erased. Close this browser window to be safe.'}
    </p>
  );
}
