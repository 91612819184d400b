/** The CSV export of a filtered list: the query it sends, and the download itself. A plain link
 * could not carry the ID token, so the file comes through fetch (the console's authenticated
 * fetch) and is saved from a Blob. */

import { toApiError } from '../../../../shared/api';

export interface ExportFilters {
  status: string;
  category: string;
  ward_code: string;
  unit_id: string;
  from: string;
  to: string;
}

export const NO_FILTERS: ExportFilters = { status: '', category: '', ward_code: '', unit_id: '', from: '', to: '' };

export const EXPORT_PATH = '/coordinator/export/reports.csv';

const DATE = /^\d{4}-\d{2}-\d{2}$/;

export type FilterProblem = 'badDate' | 'endsBeforeStart';

/** What is wrong with the filters (field → problem), empty when they may be sent. */
export function filterProblems(filters: ExportFilters): Partial<Record<'from' | 'to', FilterProblem>> {
  const problems: Partial<Record<'from' | 'to', FilterProblem>> = {};
  for (const field of ['from', 'to'] as const) {
    if (filters[field] && !DATE.test(filters[field])) problems[field] = 'badDate';
  }
  if (!problems.from && !problems.to && filters.from && filters.to && filters.from > filters.to) {
    problems.to = 'endsBeforeStart';
  }
  return problems;
}

/** The query string of the export: only the filters that are set. */
export function exportQuery(filters: ExportFilters): string {
  const query = new URLSearchParams();
  for (const [name, value] of Object.entries(filters)) {
    if (value.trim()) query.set(name, value.trim());
  }
  const text = query.toString();
  return text ? `?${text}` : '';
}

/** The file name the server suggests, else one that says what and when. */
export function exportFileName(contentDisposition: string | null, today: string): string {
  const named = contentDisposition?.match(/filename\*?=(?:UTF-8'')?"?([^";]+)"?/i);
  return named?.[1] ? decodeURIComponent(named[1]) : `phananh-reports-${today}.csv`;
}

/** Fetches the CSV; a refusal (400 export_too_wide, 403…) is thrown as the API's ApiError. */
export async function fetchExport(
  filters: ExportFilters,
  fetcher: typeof fetch,
  today = new Date().toISOString().slice(0, 10),
): Promise<{ blob: Blob; fileName: string }> {
  const url = new URL(`${EXPORT_PATH}${exportQuery(filters)}`, globalThis.location.origin);
  const response = await fetcher(url.toString(), { headers: { Accept: 'text/csv' } });
  if (!response.ok) throw toApiError(response.status, await response.json().catch(() => null));
  return { blob: await response.blob(), fileName: exportFileName(response.headers.get('content-disposition'), today) };
}

/** Hands the Blob to the browser as a download, then lets the object URL go. */
export function saveBlob(blob: Blob, fileName: string, doc: Document = document): void {
  const url = URL.createObjectURL(blob);
  const link = doc.createElement('a');
  link.href = url;
  link.download = fileName;
  doc.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 0);
}
