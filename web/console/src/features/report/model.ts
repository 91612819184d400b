import type { components, ResponseOf } from '../../../../shared/api';

type Schemas = components['schemas'];

/** One line of the audit trail as the officer view gives it (every change, who made it and why). */
export type AuditEntry = Schemas['AuditEntry'];

/** A flagged possible duplicate: the view names it; its photos and age are fetched on their own. */
export type DuplicateRef = Schemas['PossibleDuplicate'];

/** The officer view of a report, exactly as openapi.json documents it. */
export type ReportDetail = Schemas['OfficerReport'];

export type UploadForm = Schemas['UploadForm'];
export type Unit = ResponseOf<'/officer/units', 'get'>['units'][number];

export type ActionKind = 'acknowledge' | 'progress' | 'resolve' | 'transfer';
export const ACTIONS: readonly ActionKind[] = ['acknowledge', 'progress', 'resolve', 'transfer'];

export interface Template {
  id: string;
  kind: string;
  text: { vi: string; en: string };
}

/** The templates of one kind of step, from the loosely typed /officer/templates answer. */
export function templatesOf(raw: ReadonlyArray<Record<string, unknown>>, kind: ActionKind): Template[] {
  return raw.filter((entry): entry is Record<string, unknown> & Template => {
    const text = entry.text as { vi?: unknown; en?: unknown } | undefined;
    return entry.kind === kind && typeof entry.id === 'string' && typeof text?.vi === 'string' && typeof text?.en === 'string';
  });
}

/** What changed between the report the officer acted on and the report as it is now (for a 409). */
export interface Changes {
  status: { before: string; after: string } | null;
  newEntries: AuditEntry[];
  versionBefore: number;
  versionAfter: number;
}

export function changesBetween(before: ReportDetail, after: ReportDetail): Changes {
  // The audit trail only ever grows: what is past the entries the officer saw is what happened since.
  return {
    status: before.status === after.status ? null : { before: before.status, after: after.status },
    newEntries: after.timeline.slice(before.timeline.length),
    versionBefore: before.version,
    versionAfter: after.version,
  };
}
