import { NextRequest } from 'next/server';
import { serverEnv } from '@/lib/env';
import { staffAuthHandlers } from '@/lib/staff/auth';

export const dynamic = 'force-dynamic';

/** Auth.js sees the request under HOUSECALL_URL, whatever Host header it arrived with. */
function underOwnOrigin(request: NextRequest): NextRequest {
  const own = new URL(serverEnv().HOUSECALL_URL).origin;
  const url = new URL(request.nextUrl.pathname + request.nextUrl.search, own);
  return new NextRequest(url, request);
}

export async function GET(request: NextRequest): Promise<Response> {
  return staffAuthHandlers.GET(underOwnOrigin(request));
}

export async function POST(request: NextRequest): Promise<Response> {
  return staffAuthHandlers.POST(underOwnOrigin(request));
}
