import type { NextConfig } from 'next';

const nextConfig: NextConfig = {
  serverExternalPackages: ['better-sqlite3', 'pino'],
  poweredByHeader: false,
  reactStrictMode: true,
  typedRoutes: false,
  // `npm test` type-checks the whole project (app, lib, sandbox, tests) once with tsc; the build
  // does not repeat it.
  typescript: { ignoreBuildErrors: true },
  // The chart prefetches its views once, then again only on focus or reconnect
  // (components/chart/prefetch-schedule.ts): the router keeps a prefetched view for an hour. The
  // views carry the launch's frame, not clinical data, which the device cache serves.
  // forbidden() from next/navigation: the staff console answers a page its role does not allow
  // with status 403 and app/staff/forbidden.tsx.
  experimental: { staleTimes: { static: 3_600 }, authInterrupts: true },
  // Names the service worker's cache (public/sw.js): each build installs a new worker, which
  // deletes the caches of older builds.
  env: { NEXT_PUBLIC_HOUSECALL_BUILD: process.env.NEXT_PUBLIC_HOUSECALL_BUILD ?? Date.now().toString(36) },
};

export default nextConfig;
