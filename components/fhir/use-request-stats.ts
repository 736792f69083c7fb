'use client';
import { useState, useSyncExternalStore } from 'react';
import { requestLogVersion, requestMark, requestStatsSince, subscribeRequests, type RequestStats } from './request-log';

const NO_STATS: RequestStats = { requests: 0, pending: 0, roundTrips: 0 };

/** Requests made since the calling component mounted, and how many waves they formed. */
export function useRequestStats(): RequestStats {
  const [mark] = useState(requestMark);
  useSyncExternalStore(subscribeRequests, requestLogVersion, () => 0);
  return typeof window === 'undefined' ? NO_STATS : requestStatsSince(mark);
}
