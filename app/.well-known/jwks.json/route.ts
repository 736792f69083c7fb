import { publicJwks, smartConfig } from '@/lib/smart';

export const dynamic = 'force-dynamic';

/** Public keys for private_key_jwt client authentication, for EHRs to register by URL. */
export async function GET(): Promise<Response> {
  return Response.json(await publicJwks(smartConfig()), { headers: { 'cache-control': 'public, max-age=300' } });
}
