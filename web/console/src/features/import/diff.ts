/** The dry run's diff, shaped for reading: per changed record, only the fields that change. */

export type Row = Record<string, unknown>;

export interface Change {
  id: string;
  before: Row;
  after: Row;
}

export interface KindDiff {
  added: Row[];
  changed: Change[];
  unchanged: number;
}

export interface FieldChange {
  field: string;
  before: string;
  after: string;
}

/** A value as one line of text: nested objects (a {vi, en} name) as "vi / en", absent as "—". */
export function showValue(value: unknown): string {
  if (value === null || value === undefined || value === '') return '—';
  if (typeof value === 'object') {
    const record = value as Record<string, unknown>;
    if (typeof record.vi === 'string' && typeof record.en === 'string') return `${record.vi} / ${record.en}`;
    return JSON.stringify(value);
  }
  return String(value);
}

export function fieldChanges(change: Change): FieldChange[] {
  const fields = [...new Set([...Object.keys(change.before), ...Object.keys(change.after)])];
  return fields
    .map((field) => ({ field, before: showValue(change.before[field]), after: showValue(change.after[field]) }))
    .filter((entry) => entry.before !== entry.after);
}

/** Counts for the summary line; a kind the API left out (no file of that kind) counts as nothing. */
export function totals(diff: Partial<Record<string, KindDiff>>): { added: number; changed: number; unchanged: number } {
  let added = 0;
  let changed = 0;
  let unchanged = 0;
  for (const kind of Object.values(diff)) {
    if (!kind) continue;
    added += kind.added.length;
    changed += kind.changed.length;
    unchanged += kind.unchanged;
  }
  return { added, changed, unchanged };
}
