import { describe, expect, it } from 'vitest';
import { refusedResult, requestBody, type Texts } from './request';

const source = (text: string) => ({ text, problem: null, rows: 1 });

describe('requestBody', () => {
  it('sends only the files that were given', () => {
    const texts: Texts = { units: source('unit_id,…\nx,…\n'), officers: source('  \n'), rules: source('') };
    expect(requestBody(texts, true)).toEqual({ dry_run: true, units_csv: 'unit_id,…\nx,…\n' });
  });
});

describe('refusedResult', () => {
  const result = { dry_run: false, applied: false, diff: {}, rule_check: { gaps: [], overlaps: [] }, errors: [] };
  it('reads the result a 422 import_refused carries', () => {
    expect(refusedResult(422, { code: 'import_refused', message: { vi: 'x', en: 'y' }, details: result })).toEqual(result);
  });
  it('finds none in other answers', () => {
    expect(refusedResult(400, { code: 'invalid_body', details: result })).toBeNull();
    expect(refusedResult(422, { code: 'import_refused' })).toBeNull();
    expect(refusedResult(422, null)).toBeNull();
  });
});
