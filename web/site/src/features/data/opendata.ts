import type { Lang } from '../../../../shared/i18n';

/** `/open-data/index.json`: the daily snapshots, newest first, paths relative to /open-data/. */
export interface SnapshotIndex {
  schema_version: number;
  updated_at: string | null;
  days: Array<{ day: string; csv: string; geojson: string; rows: number }>;
}

export interface Column {
  name: string;
  type: string;
  vi?: string;
  en?: string;
  description?: { vi: string; en: string };
}

/** `GET /public/open-data`: the published schema, for the data dictionary. */
export interface Dictionary {
  schema_version: number;
  columns: Column[];
  formats: unknown[];
  open311: Record<string, unknown>;
}

export const SNAPSHOT_ROOT = '/open-data/';

/** A snapshot file's address: a path under /open-data/ only (the index is data, not trusted to point anywhere). */
export function snapshotHref(path: string): string | null {
  const clean = path.replace(/^\/+/, '').replace(/^open-data\//, '');
  if (!/^[A-Za-z0-9/_.-]+$/.test(clean) || clean.split('/').includes('..')) return null;
  return `${SNAPSHOT_ROOT}${clean}`;
}

export function columnDescription(column: Column, lang: Lang): string {
  const text = column.description ?? (column.vi || column.en ? { vi: column.vi ?? '', en: column.en ?? '' } : null);
  return text ? text[lang] || text.vi : '';
}

/** The open-data downloads of some filters (the same query as the map's). */
export function downloadHref(format: 'csv' | 'geojson', query: Record<string, string>): string {
  const search = new URLSearchParams(query).toString();
  return `/public/open-data/reports.${format}${search ? `?${search}` : ''}`;
}

/** The Open311 links the dictionary names, as [label, href] (same-site paths or http(s) only). */
export function open311Links(open311: Record<string, unknown> | undefined): Array<[string, string]> {
  return Object.entries(open311 ?? {})
    .filter((entry): entry is [string, string] => typeof entry[1] === 'string' && (/^\/[^/]/.test(entry[1]) || /^https?:\/\//.test(entry[1])));
}

async function getJson<T>(url: string): Promise<T> {
  const response = await fetch(url, { headers: { Accept: 'application/json' } });
  if (!response.ok) throw new Error(`${url}: HTTP ${response.status}`);
  return (await response.json()) as T;
}

export const loadSnapshots = () => getJson<SnapshotIndex>(`${SNAPSHOT_ROOT}index.json`);
export const loadDictionary = () => getJson<Dictionary>('/public/open-data');
