import type { Bundle, CarePlan, CodeableConcept, DocumentReference, Encounter, Immunization, Procedure, Resource, Task } from '@medplum/fhirtypes';
import { arr, conceptText, firstDate, obj, str } from './datatypes';
import { referenceName } from './people';
import { documentText } from './note-draft';
import { baseItem, finishList, resourcesOf, type ComposeContext, type ListItemView, type ListOptions } from './items';

/**
 * The chart's other lists: the encounters timeline, notes and documents, care plans, tasks,
 * immunizations and procedures. Each is newest first, active only unless asked.
 */

function firstConcept(v: unknown): CodeableConcept | undefined {
  return arr<CodeableConcept>(v).find((c) => obj(c));
}

function join(parts: (string | undefined)[]): string | undefined {
  const s = parts.filter((p): p is string => typeof p === 'string' && p.length > 0).join(' · ');
  return s || undefined;
}

function build<T extends Resource>(bundle: Bundle | undefined, type: T['resourceType'], ctx: ComposeContext, opts: ListOptions, f: (r: T, name: (ref: unknown) => string | undefined) => Omit<ListItemView, 'key' | 'state' | 'provenance'>): ListItemView[] {
  const name = (ref: unknown) => referenceName(ref, ctx.names);
  const items = resourcesOf<T>(bundle, type).map((r, i): ListItemView => {
    const own = f(r, name);
    const cleaned = Object.fromEntries(Object.entries(own).filter(([, v]) => v !== undefined)) as typeof own;
    return { ...baseItem(r, i, ctx), ...cleaned };
  });
  return finishList(items, opts);
}

function statusUnless(status: unknown, usual: string[]): string | undefined {
  const s = str(status);
  return s && !usual.includes(s) ? s : undefined;
}

export function toEncounterTimeline(bundle: Bundle | undefined, ctx: ComposeContext, opts: ListOptions = {}): ListItemView[] {
  return build<Encounter>(bundle, 'Encounter', ctx, opts, (e, name) => {
    const cls = obj(e.class);
    const clsText = str(cls?.display) ?? str(cls?.code);
    const who = arr<unknown>(e.participant).map((p) => name(obj(p)?.individual)).find(Boolean);
    const where = arr<unknown>(e.location).map((l) => name(obj(l)?.location)).find(Boolean);
    const by = name(e.serviceProvider);
    return {
      title: conceptText(firstConcept(e.type), clsText ? `${clsText} encounter` : 'Encounter'),
      date: firstDate(e, ['period']),
      detail: join([firstConcept(e.reasonCode) ? conceptText(firstConcept(e.reasonCode)) : undefined, who ? `Seen by ${who}` : undefined, where ? `at ${where}` : undefined, by]),
      status: statusUnless(e.status, ['finished']),
    };
  });
}

export function toDocumentList(bundle: Bundle | undefined, ctx: ComposeContext, opts: ListOptions = {}): ListItemView[] {
  return build<DocumentReference>(bundle, 'DocumentReference', ctx, opts, (d, name) => {
    const attachment = obj(obj(arr<unknown>(d.content)[0])?.attachment);
    const type = (obj(d.type) ? conceptText(d.type, '') : '') || undefined;
    return {
      title: str(d.description) ?? type ?? str(attachment?.title) ?? 'Untitled document',
      date: firstDate(d, ['date']) ?? firstDate(obj(d.context), ['period']) ?? firstDate(attachment, ['creation']),
      detail: join([str(d.description) ? type : undefined, arr<unknown>(d.author).map(name).find(Boolean)]),
      status: statusUnless(d.docStatus, ['final']),
      body: documentText(d)?.slice(0, 4000),
    };
  });
}

export function toCarePlanList(bundle: Bundle | undefined, ctx: ComposeContext, opts: ListOptions = {}): ListItemView[] {
  return build<CarePlan>(bundle, 'CarePlan', ctx, opts, (c) => ({
    title: str(c.title) ?? conceptText(firstConcept(c.category), 'Care plan'),
    date: firstDate(c, ['period', 'created']),
    detail: str(c.description),
    status: statusUnless(c.status, ['active']),
  }));
}

export function toTaskList(bundle: Bundle | undefined, ctx: ComposeContext, opts: ListOptions = {}): ListItemView[] {
  return build<Task>(bundle, 'Task', ctx, opts, (t) => {
    const due = firstDate(obj(obj(t.restriction)?.period), ['end']);
    return {
      title: str(t.description) ?? conceptText(t.code, 'Task'),
      date: firstDate(t, ['authoredOn', 'lastModified']),
      detail: join([due ? `Due ${due.slice(0, 10)}` : undefined, statusUnless(t.priority, ['routine'])]),
      status: str(t.status),
    };
  });
}

export function toImmunizationList(bundle: Bundle | undefined, ctx: ComposeContext, opts: ListOptions = {}): ListItemView[] {
  return build<Immunization>(bundle, 'Immunization', ctx, opts, (i) => ({
    title: conceptText(i.vaccineCode, 'Unnamed vaccine'),
    date: firstDate(i, ['occurrenceDateTime', 'recorded']),
    detail: join([str(i.occurrenceString), str(i.lotNumber) ? `Lot ${i.lotNumber}` : undefined]),
    status: statusUnless(i.status, ['completed']),
  }));
}

export function toProcedureList(bundle: Bundle | undefined, ctx: ComposeContext, opts: ListOptions = {}): ListItemView[] {
  return build<Procedure>(bundle, 'Procedure', ctx, opts, (p, name) => ({
    title: conceptText(p.code, 'Unnamed procedure'),
    date: firstDate(p, ['performedDateTime', 'performedPeriod']),
    detail: join([str(p.performedString), arr<unknown>(p.performer).map((x) => name(obj(x)?.actor)).find(Boolean)]),
    status: statusUnless(p.status, ['completed']),
  }));
}
