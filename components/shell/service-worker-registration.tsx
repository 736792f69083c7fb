'use client';

import { useEffect } from 'react';
import { registerServiceWorker } from './register-service-worker';

/** Registers the app-shell service worker once the page is up; silent where it cannot. */
export function ServiceWorkerRegistration() {
  useEffect(() => {
    void registerServiceWorker(window, process.env.NEXT_PUBLIC_HOUSECALL_BUILD ?? 'dev');
  }, []);
  return null;
}
