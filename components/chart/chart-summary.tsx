'use client';
import { useCallback, useEffect, useRef, useState } from 'react';
import { useHydrated } from '@/components/ui/use-hydrated';
import { SUMMARY_INTERACTIVE_MARK } from '@/lib/perf-marks';
import { answers } from '@/components/fhir/answer-store';
import { useRequestStats } from '@/components/fhir/use-request-stats';
import { useServerAnswerCount, useServerAnswers } from '@/components/fhir/server-answers';
import { laterChunk, useLaterChunk, type LaterChunk } from '@/components/ui/later-chunk';
import type { LiveSummaryProps } from './summary-live';
import { useRecordVisit } from './use-record-visit';

/**
 * The summary's live view for each audience, a chunk of its own (later-chunk.ts): the code that
 * composes the record in the browser. The clinician's brings what only the clinician sees.
 */
export const clinicianLiveCode = laterChunk(() => import('./clinician-summary'));
export const patientLiveCode = laterChunk(() => import('./summary-live'));

/** Either audience's live view, as this component draws it (it hands over `audience` itself). */
type LiveCode = LaterChunk<{ LiveSummary: React.ComponentType<LiveSummaryProps> }>;

export interface ChartSummaryProps {
  launchId: string;
  patientId: string;
  source: string;
  showBanner: boolean;
  audience: 'clinician' | 'patient';
  lastOpenedAt?: string | null;
  /**
   * The first screen the server composed and drew from the answers the page came with
   * (first-screen-summary.tsx), and the answers' keys. Without it, or once the page's answers
   * are no longer this tab's (a page shown again by client-side navigation), the live view draws.
   */
  firstScreen?: { body: React.ReactNode; keys: string[] };
}

/**
 * The summary: the first screen (summary-body.tsx), with how many answers came with the page
 * and the browser's own requests and round trips as data attributes.
 *
 * Loaded as a document, the page comes with its first screen composed and drawn on the server,
 * and this component shows it as it came: the browser downloads none of the composition code
 * for it, so the page is ready sooner. The live view (summary-live.tsx: the same screen from
 * the views' answers) takes over the moment one of its answers must change: when the store is
 * told to revalidate them (the connection coming or going, sync or consent saying so) or holds
 * another answer for them. Its chunk is asked for once the page's scripts have run, so it is
 * there when the connection is not; until it has arrived the first screen stays on show, and the
 * revalidations asked meanwhile are asked again of the live view.
 */
export function ChartSummary(props: ChartSummaryProps) {
  const { launchId, audience, firstScreen } = props;
  const clinician = audience === 'clinician';
  const stats = useRequestStats();
  const seeds = useServerAnswers();
  const serverAnswers = useServerAnswerCount();
  // The page arrives with its data, so it is on screen before its scripts run (its links and sign-out work
  // without them, e2e/before-scripts.spec.ts): `data-hydrated` says when they have run.
  const hydrated = useHydrated();
  // The same moment as a User Timing mark, for anything measuring it (bench/phone.ts).
  useEffect(() => { performance.mark?.(SUMMARY_INTERACTIVE_MARK); }, []);

  const drawn = firstScreen !== undefined && firstScreen.keys.every((key) => Object.hasOwn(seeds, key));
  const [live, setLive] = useState(!drawn);
  // Asked for once the page's scripts have run, so the live view is at hand when the connection is not.
  const Live = useLaterChunk((clinician ? clinicianLiveCode : patientLiveCode) as LiveCode)?.LiveSummary;
  const asked = useRef(new Set<string>());
  // A first screen drawn by the server is every answer in and the patient's details read.
  const [settled, setSettled] = useState(drawn);
  const visit = useRecordVisit(launchId, clinician && settled);

  useEffect(() => {
    if (live || !firstScreen) return;
    const stops = firstScreen.keys.flatMap((key) => [
      // Asked to revalidate: the live view asks again once it is there.
      answers.mount(key, async () => {
        asked.current.add(key);
        setLive(true);
      }),
      // Another view of the key (the portal's "For you now" reads the laboratory results) got a
      // new answer, or an error: the live view shows the store's, with nothing to ask again.
      answers.subscribe(key, () => {
        const now = answers.get<{ body?: unknown }>(key);
        if (now.error !== undefined || now.data?.body !== seeds[key]?.body) setLive(true);
      }),
    ]);
    return () => stops.forEach((stop) => stop());
  }, [live, firstScreen, seeds]);

  // The revalidations the first screen took are asked again of the live view, which shows their answers.
  const onMounted = useCallback(() => {
    const keys = new Set(asked.current);
    asked.current.clear();
    if (keys.size) void answers.revalidateWhere((key) => keys.has(key));
  }, []);

  const Component = live ? Live : undefined;
  return (
    <div className={`mx-auto flex w-full max-w-5xl flex-col gap-3 md:grid md:grid-cols-2 md:items-start ${clinician ? '' : 'p-3'}`} data-testid="chart-summary" data-hydrated={hydrated ? 'yes' : 'no'} data-drawn-by={Component ? 'browser' : drawn ? 'server' : 'none'} data-fhir-server={serverAnswers} data-fhir-requests={stats.requests} data-fhir-round-trips={stats.roundTrips} data-fhir-pending={stats.pending} data-visit={visit}>
      {Component ? (
        <Component {...props} lastOpenedAt={props.lastOpenedAt ?? null} onSettled={setSettled} onMounted={onMounted} />
      ) : drawn ? (
        firstScreen.body
      ) : (
        <p className="text-gray-700 md:col-span-2" role="status">Loading…</p>
      )}
    </div>
  );
}
