/**
 * Serves `${fhirBase}/.well-known/smart-configuration`, bent by the `discovery` knob: a delay
 * (long enough to look like a timeout), another status, or a raw body (not JSON, or JSON
 * without the endpoints).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { FaultListener } from '../contracts';
import { pause, sendRaw, takeFault } from '../faults';
import type { SandboxKnobs } from '../knobs';
import { sendJson } from '../pages/html';

const CORS = { 'Access-Control-Allow-Origin': '*' };

export async function serveSmartConfiguration(
  req: IncomingMessage,
  res: ServerResponse,
  document: () => Record<string, unknown>,
  knobs: SandboxKnobs,
  onFault: FaultListener,
): Promise<void> {
  if (req.method === 'OPTIONS') {
    res.writeHead(204, { ...CORS, 'Access-Control-Allow-Methods': 'GET', 'Access-Control-Allow-Headers': 'Accept' });
    return void res.end();
  }
  if (req.method !== 'GET' && req.method !== 'HEAD') return sendJson(res, 405, { error: 'method_not_allowed' });
  const fault = takeFault(knobs, 'discovery', {}, onFault);
  if (fault) {
    if (!(await pause(fault.delayMs, res))) return;
    if (fault.status !== undefined || fault.body !== undefined) {
      const body = fault.body ?? `The SMART configuration is unavailable (sandbox discovery knob, HTTP ${fault.status})`;
      return sendRaw(res, fault.status ?? 200, body, fault.contentType, CORS);
    }
  }
  sendJson(res, 200, document(), CORS);
}
