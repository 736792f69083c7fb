import { headers } from 'next/headers';
import { smartStyleSheet } from '@/lib/smart';

/**
 * The EHR's SMART style as CSS custom properties, in a `<style>` element that carries this
 * request's CSP nonce (set by proxy.ts), for the element marked `data-hc-styled`.
 */
export async function SmartStyle({ vars }: { vars: Record<string, string> }) {
  const css = smartStyleSheet(vars);
  if (!css) return null;
  const nonce = (await headers()).get('x-nonce') ?? undefined;
  return <style nonce={nonce} data-testid="smart-style">{css}</style>;
}
