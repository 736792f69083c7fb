import type { APIRequestContext } from '@playwright/test';
import { SANDBOX_ORIGIN } from '../../scripts/env';

/** The sandbox's fault knobs (sandbox/README.md lists them). */
export const knobs = {
  async set(request: APIRequestContext, patch: Record<string, unknown>): Promise<void> {
    const res = await request.post(`${SANDBOX_ORIGIN}/_knobs`, { data: patch });
    if (!res.ok()) throw new Error(`knobs refused: ${res.status()} ${await res.text()}`);
  },
  async reset(request: APIRequestContext): Promise<void> {
    await request.delete(`${SANDBOX_ORIGIN}/_knobs`);
  },
  async stats(request: APIRequestContext): Promise<{ tokenRequests: Record<string, number>; rotatedRefreshTokenReuse: number; refreshTokenRotations: number; faults: Record<string, number> }> {
    return (await request.get(`${SANDBOX_ORIGIN}/_knobs/stats`)).json();
  },
};
