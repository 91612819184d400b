import { describe, expect, it } from 'vitest';
import { ApiError, authenticatedFetch } from '../../../../shared/api';
import { NO_FILTERS, exportFileName, exportQuery, fetchExport, filterProblems } from './export';

describe('CSV export', () => {
  it('sends only the filters that are set', () => {
    expect(exportQuery(NO_FILTERS)).toBe('');
    expect(exportQuery({ ...NO_FILTERS, status: 'ASSIGNED', ward_code: ' 31117 ', from: '2026-11-01' })).toBe(
      '?status=ASSIGNED&ward_code=31117&from=2026-11-01',
    );
  });

  it('refuses a malformed date and a period that ends before it starts', () => {
    expect(filterProblems({ ...NO_FILTERS, from: '1/11/2026' })).toEqual({ from: 'badDate' });
    expect(filterProblems({ ...NO_FILTERS, from: '2026-11-05', to: '2026-11-01' })).toEqual({ to: 'endsBeforeStart' });
    expect(filterProblems({ ...NO_FILTERS, from: '2026-11-01', to: '2026-11-01' })).toEqual({});
  });

  it('takes the file name the server gives, else names it by date', () => {
    expect(exportFileName('attachment; filename="reports-2026.csv"', '2026-12-02')).toBe('reports-2026.csv');
    expect(exportFileName(null, '2026-12-02')).toBe('phananh-reports-2026-12-02.csv');
  });

  it('downloads through the authenticated fetch, with the ID token, as a Blob', async () => {
    const seen: { url?: string; auth?: string | null } = {};
    const network = (async (request: Request) => {
      seen.url = new URL(request.url).pathname + new URL(request.url).search;
      seen.auth = request.headers.get('authorization');
      return new Response('\uFEFFreport_id\nR1\n', {
        headers: { 'content-type': 'text/csv; charset=utf-8', 'content-disposition': 'attachment; filename="x.csv"' },
      });
    }) as unknown as typeof fetch;
    const tokens = { idToken: async () => 'token-1', refresh: async () => null };
    const { blob, fileName } = await fetchExport({ ...NO_FILTERS, unit_id: 'so_xay_dung' }, authenticatedFetch(tokens, network));
    expect(seen).toEqual({ url: '/coordinator/export/reports.csv?unit_id=so_xay_dung', auth: 'Bearer token-1' });
    expect(fileName).toBe('x.csv');
    expect(await blob.text()).toContain('report_id');
  });

  it("turns a refusal into the API's bilingual error", async () => {
    const network = (async () =>
      new Response(JSON.stringify({ code: 'export_too_wide', message: { vi: 'Quá nhiều.', en: 'Too many.' } }), {
        status: 400,
        headers: { 'content-type': 'application/json' },
      })) as unknown as typeof fetch;
    const failure = await fetchExport(NO_FILTERS, network).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(ApiError);
    expect((failure as ApiError).code).toBe('export_too_wide');
    expect((failure as ApiError).text.en).toBe('Too many.');
  });
});
