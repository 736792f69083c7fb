import type { PatientHeaderView } from '@/lib/fhir/compose/summary';

/** Name, age, sex, identifier and allergy count: the facts that prevent a wrong-patient error. */
export function PatientBanner({ header, allergyCount }: { header: PatientHeaderView; allergyCount: number | undefined }) {
  return (
    <header className="rounded-xl bg-[var(--hc-accent)] p-4 text-white" data-testid="patient-banner">
      <h1 className="text-xl font-semibold" data-testid="patient-name">{header.name}</h1>
      <p className="text-sm opacity-95">
        {header.age !== undefined ? `${header.age} y` : 'Age unknown'} · {header.sex}
        {header.birthDate ? ` · born ${header.birthDate}` : ''}
        {header.identifier ? ` · ${header.identifier.label} ${header.identifier.value}` : ''}
        {allergyCount !== undefined ? ` · ${allergyCount === 0 ? 'No known allergies' : `${allergyCount} allerg${allergyCount === 1 ? 'y' : 'ies'}`}` : ''}
      </p>
    </header>
  );
}
