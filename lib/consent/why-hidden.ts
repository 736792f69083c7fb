/**
 * Why part of a chart is withheld, in words: a module of its own, without the rest of
 * describe.ts, because the browser shows these sentences on every chart and portal view.
 */

/** Plain names of the sensitivity labels a patient can restrict. */
export const LABEL_NAMES: Record<string, string> = {
  PSY: 'mental health', SUD: 'substance use', ETH: 'substance use', HIV: 'HIV', SEX: 'sexual and reproductive health', R: 'restricted', V: 'very restricted',
};

/**
 * Plain sentences telling a clinician why part of a chart is withheld (from whyHidden's
 * categories), addressed to them in their role; unknown categories are left out. Never which
 * sensitive kind (an answer saved before labels went unnamed, `label:HIV`, reads the same).
 */
export function describeWhyHidden(why: readonly string[]): string[] {
  const out: string[] = [];
  if (why.some((w) => w === 'label' || w.startsWith('label:'))) out.push('Records the patient marks as sensitive: they keep these from anyone they have not chosen.');
  if (why.includes('restricted')) out.push('The patient has limited what you, in your role, may see of their record.');
  if (why.includes('not-shared')) out.push('The patient shares their record only with the people they choose, and has not chosen you for this.');
  return out;
}
