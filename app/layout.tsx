import type { Metadata, Viewport } from 'next';
import { connection } from 'next/server';
import { ServiceWorkerRegistration } from '@/components/shell/service-worker-registration';
import './globals.css';

export const metadata: Metadata = {
  title: 'Housecall',
  description: 'Your health record, from your EHR, on any device.',
  referrer: 'no-referrer',
};

export const viewport: Viewport = { width: 'device-width', initialScale: 1 };

/**
 * Every page renders on request, so Next.js can put the request's CSP nonce (set by proxy.ts)
 * on its scripts; a page prerendered at build time would carry none, and the policy would refuse
 * its scripts. The one exception is the offline shell (`force-static`), which the policy allows
 * by the hashes of its build.
 */
export default async function RootLayout({ children }: { children: React.ReactNode }) {
  await connection();
  return (
    <html lang="en">
      <body className="min-h-screen antialiased">
        {children}
        <ServiceWorkerRegistration />
      </body>
    </html>
  );
}
