import { afterEach, describe, expect, it } from 'vitest';
import { ANONYMOUS, createApiClient } from '../../../../shared/api';
import type { NewReport, UploadForm } from './model';
import { httpTransport } from './transport';

const BODY: NewReport = { category: 'roads', description: 'Ổ gà', ward_code: 'X', photo_count: 1 };
const KEY = '0b5c6a7e-2f1d-4c1b-9a57-3c0f8f6b2d11';
const FORM: UploadForm = { url: 'http://storage.test/photos', fields: { key: 'quarantine/PA1/1', policy: 'p' }, key: 'quarantine/PA1/1' };
const original = globalThis.fetch;

function answering(status: number, body: unknown, headers: Record<string, string> = {}) {
  const seen: Request[] = [];
  globalThis.fetch = async (input: RequestInfo | URL, init?: RequestInit) => {
    seen.push(new Request(input, init));
    return new Response(body === null ? null : JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json', ...headers } });
  };
  return seen;
}

const transport = () => httpTransport(createApiClient(ANONYMOUS, 'http://site.test'));

afterEach(() => {
  globalThis.fetch = original;
});

describe('the HTTP transport', () => {
  it('files with the Idempotency-Key header and the body as queued', async () => {
    const receipt = { report_id: 'PA1', status: 'RECEIVED', created_at: 'x', photo_count: 1, tracking_token: 't', uploads: [FORM] };
    const seen = answering(201, receipt);
    expect(await transport().file(KEY, BODY)).toEqual({ kind: 'filed', receipt });
    expect(seen[0]?.headers.get('Idempotency-Key')).toBe(KEY);
    expect(seen[0]?.headers.get('Authorization')).toBeNull();
    expect(await seen[0]?.json()).toEqual(BODY);
  });

  it('retries what may pass later, honouring Retry-After, and gives up on a bad field', async () => {
    const error = { code: 'rate_limited', message: { vi: 'Chậm lại', en: 'Slow down' } };
    answering(429, error, { 'Retry-After': '30' });
    expect(await transport().file(KEY, BODY)).toEqual({ kind: 'retry', afterMs: 30_000 });
    answering(409, { ...error, code: 'request_in_progress' });
    expect(await transport().file(KEY, BODY)).toEqual({ kind: 'retry', afterMs: undefined });
    answering(503, { ...error, code: 'unavailable' });
    expect((await transport().file(KEY, BODY)).kind).toBe('retry');
    const bad = { code: 'unknown_ward', message: { vi: 'Sai', en: 'Wrong' }, field: 'ward_code' };
    answering(400, bad);
    expect(await transport().file(KEY, BODY)).toEqual({ kind: 'refused', error: bad });
  });

  it('takes no answer at all (offline) for one to retry', async () => {
    globalThis.fetch = async () => {
      throw new TypeError('Failed to fetch');
    };
    expect(await transport().file(KEY, BODY)).toEqual({ kind: 'retry' });
    expect(await transport().upload(FORM, new Blob(['x'], { type: 'image/jpeg' }))).toBe('retry');
  });

  it('posts the form fields, the content type, then the file last', async () => {
    const seen = answering(204, null);
    expect(await transport().upload(FORM, new Blob(['jpeg'], { type: 'image/jpeg' }))).toBe('done');
    const form = await seen[0]!.formData();
    expect([...form.keys()]).toEqual(['key', 'policy', 'Content-Type', 'file']);
    expect(form.get('Content-Type')).toBe('image/jpeg');
    answering(403, null);
    expect(await transport().upload(FORM, new Blob(['x']))).toBe('expired');
    answering(400, null);
    expect(await transport().upload(FORM, new Blob(['x']))).toBe('refused');
  });
});
