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
  /** What the sandbox holds of one type for one patient (read-only; `GET /_fhir-read`). */
  async read<T = Record<string, unknown>>(request: APIRequestContext, type: string, patient: string): Promise<T[]> {
    const res = await request.get(`${SANDBOX_ORIGIN}/_fhir-read?type=${encodeURIComponent(type)}&patient=${encodeURIComponent(patient)}`);
    if (!res.ok()) throw new Error(`read refused: ${res.status()}`);
    return ((await res.json()) as { resources: T[] }).resources;
  },
  async stats(request: APIRequestContext): Promise<{ tokenRequests: Record<string, number>; rotatedRefreshTokenReuse: number; refreshTokenRotations: number; faults: Record<string, number> }> {
    return (await request.get(`${SANDBOX_ORIGIN}/_knobs/stats`)).json();
  },
};
