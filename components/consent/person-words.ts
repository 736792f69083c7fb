/**
 * How the sharing and restricting forms name a chosen person and the practitioner a consent
 * names: a module of their own, so the restricting page does not load the sharing form.
 */
import { roleInSentence, type CarePerson } from '@/lib/fhir/compose/care-team';

/** A chosen person as a sentence names them: "Dr. Quinn Placebo (your GP)". */
export function personInSentence(p: Pick<CarePerson, 'name' | 'role'>): string {
  return `${p.name} (${roleInSentence(p.role)})`;
}

/** The practitioner id a consent names, from a care person's `Practitioner/{id}`. */
export function practitionerIdOf(p: CarePerson): string {
  return p.reference.slice(p.reference.indexOf('/') + 1);
}
