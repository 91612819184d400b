/** What the import screen sends to POST /coordinator/import and how it reads a refusal. */
import type { components } from '../../../../shared/api';
import type { Bilingual, ImportKind } from './csvFile';

export type ImportResult = components['schemas']['ImportResult'];

export interface Source {
  text: string;
  problem: Bilingual | null;
  rows: number;
}

export type Texts = Record<ImportKind, Source>;

/** Only the files given: an absent file is not imported (an empty text would be a file without a header). */
export function requestBody(texts: Texts, dryRun: boolean) {
  const body: components['schemas']['ImportRequest'] = { dry_run: dryRun };
  if (texts.units.text.trim()) body.units_csv = texts.units.text;
  if (texts.officers.text.trim()) body.officers_csv = texts.officers.text;
  if (texts.rules.text.trim()) body.rules_csv = texts.rules.text;
  return body;
}

/** The result a refusal carries (422 import_refused: the whole result in `details`), if that is what came back. */
export function refusedResult(status: number, body: unknown): ImportResult | null {
  if (status !== 422 || typeof body !== 'object' || body === null) return null;
  const details = (body as { details?: unknown }).details;
  return details && typeof details === 'object' ? (details as ImportResult) : null;
}
