import type { Metadata } from 'next';
import { OfflineShell } from '@/components/shell/offline-shell';

export const dynamic = 'force-static';
export const metadata: Metadata = { title: 'Housecall' };

/**
 * The offline shell: the service worker (public/sw.js) stores this page and answers with it
 * when a page cannot be fetched. It is static and renders nothing patient-specific on the
 * server; everything it shows comes from the device's encrypted store, in the browser.
 */
export default function OfflinePage() {
  return <OfflineShell />;
}
