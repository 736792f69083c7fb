'use client';
import { createContext, useContext, useEffect, useState } from 'react';
import { answers as store } from './answer-store';
import type { ServerAnswer, ServerAnswers } from '@/lib/fhir/first-screen';
import type { ThroughResult } from '@/lib/sync/read-through';
import { pathBelowProxy } from '@/lib/fhir/proxy-path';
import { useFhirCache } from './fhir-cache';
import { noteServerTime } from '@/components/ui/server-clock';

const ServerAnswersContext = createContext<ServerAnswers>({});
const NONE: ServerAnswers = {};

/**
 * Set once the document's first page has taken its answers. A page shown again later by
 * client-side navigation (back, or from the router's cache) may carry the same answers, now old:
 * its views ask for themselves, as they always did, and offline they show the device's copy.
 */
let documentAnswersTaken = false;

/** The answer the server already got for this proxy URL, if the page came with one. */
export function useServerAnswer(key: string | null): ServerAnswer | undefined {
  const answers = useContext(ServerAnswersContext);
  return key !== null && Object.hasOwn(answers, key) ? answers[key] : undefined;
}

/** An answer the page came with, as the views hold one they fetched themselves. */
export function asFetched<T>(answer: ServerAnswer): ThroughResult<T> {
  return { body: answer.body as T, fetchedAt: answer.fetchedAt, fromCache: false };
}

/** Every answer the page came with, by key (none once taken: see documentAnswersTaken). */
export function useServerAnswers(): ServerAnswers {
  return useContext(ServerAnswersContext);
}

/** How many answers the page came with (the chart shows it as data, next to its own requests). */
export function useServerAnswerCount(): number {
  return Object.keys(useContext(ServerAnswersContext)).length;
}

/**
 * The answers with their `fetchedAt` moved from the server's clock to this device's, as if the
 * browser had fetched them when the page arrived (`servedAt`: the server's time when it sent them).
 * A device whose clock is off would otherwise call an answer fetched a moment ago "10 min ago",
 * and compare it with its own fetches on two clocks. The ages the page shows are unchanged.
 */
export function onDeviceClock(answers: ServerAnswers, servedAt: number, deviceNow: number): ServerAnswers {
  const shift = deviceNow - servedAt;
  const out: ServerAnswers = {};
  for (const [key, answer] of Object.entries(answers)) {
    const at = Date.parse(answer.fetchedAt);
    out[key] = { ...answer, fetchedAt: Number.isNaN(at) ? new Date(deviceNow).toISOString() : new Date(at + shift).toISOString() };
  }
  return out;
}

/**
 * Hands the views below the answers the server got for the first screen
 * (lib/fhir/first-screen.ts), so they render with the page instead of asking after the scripts
 * load. Each answer is then treated as one the browser fetched itself: put in the views' store
 * (answer-store.ts, so a reconnect revalidates it like any other) and saved in the device's encrypted copy,
 * so the page works offline afterwards as before.
 */
export function ServerAnswersProvider({ answers: given, servedAt, children }: { answers: ServerAnswers; servedAt: number; children: React.ReactNode }) {
  const { cache } = useFhirCache();
  // Decided in the first render, so the browser's first render matches the server's HTML.
  const [answers] = useState(() => {
    if (typeof window === 'undefined') return given;
    if (documentAnswersTaken) return NONE;
    const deviceNow = Date.now();
    noteServerTime(servedAt, deviceNow);
    return onDeviceClock(given, servedAt, deviceNow);
  });
  useEffect(() => {
    documentAnswersTaken = true;
    for (const [key, answer] of Object.entries(answers)) {
      store.set(key, asFetched(answer));
      // A failure to save loses the offline copy of this answer only; the view has it.
      void Promise.resolve(cache).then((c) => c?.save(pathBelowProxy(key), answer.body, answer.fetchedAt)).catch(() => undefined);
    }
  }, [answers, cache]);
  return <ServerAnswersContext.Provider value={answers}>{children}</ServerAnswersContext.Provider>;
}
