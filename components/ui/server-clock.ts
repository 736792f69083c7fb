/**
 * How far this device's clock is from the EHR's, so a record's age ("updated 5 min ago", from the
 * EHR's `meta.lastUpdated`) is counted on the clock that stamped it. A workstation that lost its
 * time server or a phone set by hand would otherwise call a record changed a moment ago "2 hours
 * ago", or a record changed an hour ago "just now". Learned from each answer's `Date` (the proxy
 * passes on the EHR's) and from the time the page's first-screen answers were served; until one
 * arrives (offline from the start) the device's own clock is used.
 */
let offsetMs = 0;

/** Differences smaller than this are the `Date` header's one-second steps and the time on the wire, not a wrong clock. */
export const CLOCK_DEADBAND_MS = 5_000;

/** Records that the server's clock read `serverMs` when this device's read `deviceMs`. */
export function noteServerTime(serverMs: number, deviceMs: number): void {
  if (!Number.isFinite(serverMs) || !Number.isFinite(deviceMs)) return;
  const difference = serverMs - deviceMs;
  offsetMs = Math.abs(difference) < CLOCK_DEADBAND_MS ? 0 : difference;
}

/** An answer's `Date` header, read when its headers arrived (`deviceMs`); an absent or unreadable one is ignored. */
export function noteDateHeader(value: string | null, deviceMs: number): void {
  if (!value) return;
  // The header is cut to the second: the server's clock was, on average, half a second further on.
  noteServerTime(Date.parse(value) + 500, deviceMs);
}

/** This device's time `deviceNow` on the server's clock. */
export function onServerClock(deviceNow: number): number {
  return deviceNow + offsetMs;
}
