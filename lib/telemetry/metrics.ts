import { Counter, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import { processSingleton } from '../process-singleton';

/**
 * Prometheus metrics. Labels are issuer ids, outcome codes and resource types: never a
 * patient, a user or a launch id (unbounded and identifying).
 */
function create() {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'housecall_process_' });
  return {
    registry,
    launches: new Counter({ name: 'housecall_launches_total', help: 'Launch outcomes by issuer and outcome code', labelNames: ['issuer', 'outcome'] as const, registers: [registry] }),
    refreshes: new Counter({ name: 'housecall_refreshes_total', help: 'Token refresh outcomes by issuer', labelNames: ['issuer', 'outcome'] as const, registers: [registry] }),
    proxy: new Histogram({
      name: 'housecall_proxy_duration_seconds', help: 'FHIR proxy latency by interaction and outcome', labelNames: ['interaction', 'resource_type', 'outcome'] as const,
      buckets: [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10], registers: [registry],
    }),
    consentDenials: new Counter({ name: 'housecall_consent_denials_total', help: 'Requests or resources withheld by consent', labelNames: ['resource_type'] as const, registers: [registry] }),
    breakGlass: new Counter({ name: 'housecall_break_glass_total', help: 'Break-glass activations', labelNames: ['issuer'] as const, registers: [registry] }),
  };
}

export const metrics = processSingleton('metrics', create);
