import { NextResponse, type NextRequest } from 'next/server';
import { allEhrOrigins, smartConfig } from '@/lib/smart/config';

/**
 * Security headers for every page and API response. Housecall is framed by EHRs, so instead of
 * X-Frame-Options it sends `frame-ancestors` naming only the registered EHR origins.
 */
export function proxy(request: NextRequest): NextResponse {
  const response = NextResponse.next();
  const ancestors = ["'self'", ...allEhrOrigins(smartConfig())].join(' ');
  response.headers.set('content-security-policy', `frame-ancestors ${ancestors}; base-uri 'self'; form-action 'self'; object-src 'none'`);
  response.headers.set('x-content-type-options', 'nosniff');
  response.headers.set('referrer-policy', 'no-referrer');
  response.headers.set('permissions-policy', 'camera=(), microphone=(), geolocation=()');
  if (request.nextUrl.pathname.startsWith('/l/') || request.nextUrl.pathname.startsWith('/api/')) {
    response.headers.set('cache-control', 'no-store');
  }
  return response;
}

export const config = {
  matcher: ['/((?!_next/static|_next/image|favicon.ico).*)'],
};
