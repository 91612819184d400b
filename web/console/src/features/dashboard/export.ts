/** The CSV export of a filtered list: the query it sends, and the download itself. The file comes
 * through fetch with the ID token (a plain link could not carry it) and is saved from a Blob. */

interface Bilingual {
  vi: string;
  en: string;
}

export interface ExportFilters {
  status: string;
  category: string;
  ward_code: string;
  unit_id: string;
  from: string;
  to: string;
}

export const NO_FILTERS: ExportFilters = { status: "", category: "", ward_code: "", unit_id: "", from: "", to: "" };

export const EXPORT_PATH = "/coordinator/export/reports.csv";

const DATE = /^\d{4}-\d{2}-\d{2}$/;

/** What is wrong with the filters (field → message), empty when they may be sent. */
export function filterProblems(filters: ExportFilters): Partial<Record<keyof ExportFilters, Bilingual>> {
  const problems: Partial<Record<keyof ExportFilters, Bilingual>> = {};
  for (const field of ["from", "to"] as const) {
    if (filters[field] && !DATE.test(filters[field])) {
      problems[field] = { vi: "Ngày phải có dạng NNNN-TT-NN.", en: "A date must look like YYYY-MM-DD." };
    }
  }
  if (!problems.from && !problems.to && filters.from && filters.to && filters.from > filters.to) {
    problems.to = { vi: "Ngày kết thúc phải sau ngày bắt đầu.", en: "The end date must not be before the start." };
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
  return text ? `?${text}` : "";
}

/** The file name the server suggests, else one that says what and when. */
export function exportFileName(contentDisposition: string | null, today: string): string {
  const named = contentDisposition?.match(/filename\*?=(?:UTF-8'')?"?([^";]+)"?/i);
  return named?.[1] ? decodeURIComponent(named[1]) : `phananh-reports-${today}.csv`;
}

export class ExportFailed extends Error {
  constructor(readonly status: number, readonly detail: Bilingual) {
    super(detail.en);
  }
}

/** Fetches the CSV with the ID token; a refusal carries the API's bilingual message. */
export async function fetchExport(
  filters: ExportFilters, idToken: string, fetcher: typeof fetch = fetch, today = new Date().toISOString().slice(0, 10),
): Promise<{ blob: Blob; fileName: string }> {
  const response = await fetcher(`${EXPORT_PATH}${exportQuery(filters)}`, {
    headers: { Authorization: `Bearer ${idToken}`, Accept: "text/csv" },
  });
  if (!response.ok) {
    const body = (await response.json().catch(() => null)) as { message?: Bilingual } | null;
    throw new ExportFailed(response.status, body?.message ?? {
      vi: `Không tải được tệp (mã ${response.status}).`, en: `The file could not be downloaded (status ${response.status}).`,
    });
  }
  return { blob: await response.blob(), fileName: exportFileName(response.headers.get("content-disposition"), today) };
}

/** Hands the Blob to the browser as a download, then lets the object URL go. */
export function saveBlob(blob: Blob, fileName: string, doc: Document = document): void {
  const url = URL.createObjectURL(blob);
  const link = doc.createElement("a");
  link.href = url;
  link.download = fileName;
  doc.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 0);
}
