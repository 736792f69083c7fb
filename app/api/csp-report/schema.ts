import { z } from 'zod';

/** Reports larger than this are refused unread: a browser's violation report is a few hundred bytes. */
export const MAX_REPORT_BYTES = 16 * 1024;

/** `report-uri` delivery (`application/csp-report`): one report, hyphenated keys. */
const legacyReportSchema = z.object({
  'csp-report': z.object({
    'effective-directive': z.string().max(100).optional(),
    'violated-directive': z.string().max(2000).optional(),
    'blocked-uri': z.string().max(4000).optional(),
  }),
});

/** Reporting API delivery (`application/reports+json`): a batch, camel-case body keys. */
const reportingApiSchema = z.array(z.object({
  type: z.string(),
  body: z.object({
    effectiveDirective: z.string().max(100).optional(),
    blockedURL: z.string().max(4000).optional(),
  }).optional(),
})).max(100);

export const cspReportSchema = z.union([legacyReportSchema, reportingApiSchema]);
export type CspReportBody = z.infer<typeof cspReportSchema>;

/** What Housecall keeps of a violation: the directive and where the blocked thing came from. */
export interface CspViolation {
  directive: string;
  blocked: string;
}

/** The violations in either delivery format; other Reporting API report types are ignored. */
export function violationsOf(body: CspReportBody): CspViolation[] {
  if (Array.isArray(body)) {
    return body.filter((r) => r.type === 'csp-violation' && r.body).map((r) => ({ directive: r.body?.effectiveDirective ?? '', blocked: r.body?.blockedURL ?? '' }));
  }
  const r = body['csp-report'];
  return [{ directive: r['effective-directive'] ?? r['violated-directive']?.split(' ')[0] ?? '', blocked: r['blocked-uri'] ?? '' }];
}
