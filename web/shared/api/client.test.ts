import { describe, expect, it } from 'vitest';
import { authenticatedFetch, createApiClient, type TokenSource } from './client';
import { ApiError, unwrap } from './errors';

function tokens(initial: string, refreshed: string | null): TokenSource & { refreshes: number } {
  let token = initial;
  return {
    refreshes: 0,
    async idToken() {
      return token;
    },
    async refresh() {
      this.refreshes += 1;
      if (refreshed) token = refreshed;
      return refreshed;
    },
  };
}

describe('authenticatedFetch', () => {
  it('sends the ID token as a bearer token', async () => {
    const seen: string[] = [];
    const send = authenticatedFetch(tokens('abc', null), async (request) => {
      seen.push((request as Request).headers.get('Authorization') ?? '');
      return new Response('{}', { status: 200 });
    });
    await send('http://console.test/officer/me');
    expect(seen).toEqual(['Bearer abc']);
  });

  it('refreshes once on a 401 and repeats the request, body included, with the new token', async () => {
    const source = tokens('old', 'new');
    const seen: Array<[string, string]> = [];
    const send = authenticatedFetch(source, async (request) => {
      const req = request as Request;
      seen.push([req.headers.get('Authorization') ?? '', await req.text()]);
      return new Response('{}', { status: req.headers.get('Authorization') === 'Bearer new' ? 200 : 401 });
    });
    const response = await send('http://console.test/officer/reports/X/acknowledge', { method: 'POST', body: '{"version":3}' });
    expect(response.status).toBe(200);
    expect(source.refreshes).toBe(1);
    expect(seen).toEqual([
      ['Bearer old', '{"version":3}'],
      ['Bearer new', '{"version":3}'],
    ]);
  });

  it('gives up after one refresh: a second 401 is returned, not looped on', async () => {
    const source = tokens('old', 'still-bad');
    let calls = 0;
    const send = authenticatedFetch(source, async () => {
      calls += 1;
      return new Response('{}', { status: 401 });
    });
    expect((await send('http://console.test/officer/me')).status).toBe(401);
    expect(calls).toBe(2);
    expect(source.refreshes).toBe(1);
  });
});

describe('the typed client', () => {
  it('surfaces the standard error body as an ApiError with both languages', async () => {
    const body = { code: 'version_conflict', message: { vi: 'Đã có thay đổi.', en: 'Changed meanwhile.' }, current: { version: 4 } };
    const client = createApiClient(tokens('t', null), 'http://console.test');
    const original = globalThis.fetch;
    globalThis.fetch = async () => new Response(JSON.stringify(body), { status: 409, headers: { 'Content-Type': 'application/json' } });
    try {
      const result = await client.POST('/officer/reports/{report_id}/acknowledge', {
        params: { path: { report_id: 'PA1' } },
        body: { version: 3 },
      });
      const error = (() => {
        try {
          unwrap(result);
        } catch (caught) {
          return caught;
        }
        return null;
      })();
      expect(error).toBeInstanceOf(ApiError);
      expect((error as ApiError).status).toBe(409);
      expect((error as ApiError).code).toBe('version_conflict');
      expect((error as ApiError).text.vi).toBe('Đã có thay đổi.');
      expect((error as ApiError).current).toEqual({ version: 4 });
    } finally {
      globalThis.fetch = original;
    }
  });

  it('turns a non-JSON failure into an ApiError too', () => {
    const response = new Response('<html>bad gateway</html>', { status: 502 });
    expect(() => unwrap({ error: '<html>bad gateway</html>', response })).toThrow(ApiError);
  });
});
