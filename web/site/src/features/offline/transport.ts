import { ApiError, type ApiClient } from '../../../../shared/api';
import type { ErrorBody, NewReport, Receipt, UploadForm } from './model';
import type { FileAnswer, Transport, UploadAnswer } from './sender';

function retryAfterMs(response: Response): number | undefined {
  const seconds = Number(response.headers.get('Retry-After'));
  return Number.isFinite(seconds) && seconds > 0 ? seconds * 1000 : undefined;
}

/** 5xx, 408, 409 (the same key still being filed) and 429 are worth trying again; other 4xx are not. */
function worthRetrying(status: number): boolean {
  return status >= 500 || status === 408 || status === 409 || status === 429;
}

/** The real transport: POST /reports through the typed client, photos straight to storage. */
export function httpTransport(api: ApiClient, fetcher: () => typeof fetch = () => globalThis.fetch): Transport {
  return {
    async file(idempotencyKey: string, body: NewReport): Promise<FileAnswer> {
      try {
        const { data, error, response } = await api.POST('/reports', {
          params: { header: { 'Idempotency-Key': idempotencyKey } },
          body,
        });
        if (response.ok && data) return { kind: 'filed', receipt: data as Receipt };
        if (worthRetrying(response.status)) return { kind: 'retry', afterMs: retryAfterMs(response) };
        return { kind: 'refused', error: error as ErrorBody };
      } catch (caught) {
        // No answer at all (offline, connection cut): the filing may or may not have happened; the
        // same key next time tells.
        if (caught instanceof ApiError || caught instanceof TypeError) return { kind: 'retry' };
        throw caught;
      }
    },

    async upload(form: UploadForm, photo: Blob): Promise<UploadAnswer> {
      const body = new FormData();
      for (const [name, value] of Object.entries(form.fields)) body.append(name, value);
      if (!('Content-Type' in form.fields)) body.append('Content-Type', photo.type || 'image/jpeg');
      // S3 reads every field before the file: it must come last.
      body.append('file', photo, 'photo.jpg');
      let response: Response;
      try {
        response = await fetcher()(form.url, { method: 'POST', body });
      } catch {
        return 'retry';
      }
      if (response.ok) return 'done';
      // A presigned POST refused with 403 has most likely expired: a new form is asked for.
      if (response.status === 403) return 'expired';
      return worthRetrying(response.status) ? 'retry' : 'refused';
    },
  };
}
