import type { components, ResponseOf } from '../../../../shared/api';

type Schemas = components['schemas'];

/** One line of the audit trail as the officer view gives it (every change, who made it and why). */
export interface AuditEntry {
  at: string;
  actor: string;
  action: string;
  from_status: string | null;
  to_status: string;
  reason: string | null;
  public: boolean;
}

/** A flagged possible duplicate: the view names it; its photos and age are fetched on their own. */
export interface DuplicateRef {
  report_id: string;
  status: string;
  category: string;
  distance_m: number | null;
}

/**
 * The officer view of a report. The spec's `OfficerReport` names only part of what the route returns
 * (the id, state, version, publication, assignee, allowed actions); the public facts are
 * `ReportFacts`, and the officer-only parts are listed here until the spec spells them out too.
 */
export type ReportDetail = Schemas['OfficerReport'] &
  Omit<Schemas['ReportFacts'], 'timeline' | 'status' | 'report_id'> & {
    created_at: string;
    updated_at: string;
    transfer_count: number;
    photo_count: number;
    timeline: AuditEntry[];
    possible_duplicates: DuplicateRef[];
    /** Only where the API gives it: the reporter consented and the viewer may see it (each view audited). */
    contact: { phone: string | null; email: string | null } | null;
    allowed_actions: string[];
  };

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
