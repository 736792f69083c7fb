import type { Metadata, Viewport } from 'next';
import { ServiceWorkerRegistration } from '@/components/shell/service-worker-registration';
import './globals.css';

export const metadata: Metadata = {
  title: 'Housecall',
  description: 'Your health record, from your EHR, on any device.',
  referrer: 'no-referrer',
};

export const viewport: Viewport = { width: 'device-width', initialScale: 1 };

export default function RootLayout({ children }: { children: React.ReactNode }) {
  return (
    <html lang="en">
      <body className="min-h-screen antialiased">
        {children}
        <ServiceWorkerRegistration />
      </body>
    </html>
  );
}
