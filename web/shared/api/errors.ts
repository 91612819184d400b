import type { components } from './schema';

export type Text = components['schemas']['Text'];
export type ErrorBody = components['schemas']['Error'];

/** Every failed API call ends as one of these: the standard body `{code, message{vi,en}}` and the HTTP status. */
export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly text: Text;
  readonly field: string | undefined;
  /** On a 409 the report as it is now (the state the change was refused against). */
  readonly current: Record<string, unknown> | undefined;

  constructor(status: number, body: ErrorBody) {
    super(`${status} ${body.code}: ${body.message.en}`);
    this.name = 'ApiError';
    this.status = status;
    this.code = body.code;
    this.text = body.message;
    this.field = body.field;
    this.current = body.current as Record<string, unknown> | undefined;
  }
}

function isErrorBody(value: unknown): value is ErrorBody {
  if (typeof value !== 'object' || value === null) return false;
  const candidate = value as { code?: unknown; message?: { vi?: unknown; en?: unknown } };
  return (
    typeof candidate.code === 'string' &&
    typeof candidate.message?.vi === 'string' &&
    typeof candidate.message?.en === 'string'
  );
}

/** Whatever came back (the standard body, a gateway's HTML, nothing at all) as an ApiError. */
export function toApiError(status: number, body: unknown): ApiError {
  if (isErrorBody(body)) return new ApiError(status, body);
  return new ApiError(status, {
    code: status === 0 ? 'network_error' : 'unexpected_response',
    message: {
      vi: status === 0 ? 'Không kết nối được máy chủ.' : `Máy chủ trả lời bất thường (${status}).`,
      en: status === 0 ? 'Could not reach the server.' : `The server answered unexpectedly (${status}).`,
    },
  });
}

interface FetchResult<T> {
  data?: T;
  error?: unknown;
  response: Response;
}

/** The data of an openapi-fetch result, or its error thrown as an ApiError. */
export function unwrap<T>(result: FetchResult<T>): T {
  if (result.error !== undefined || !result.response.ok) {
    throw toApiError(result.response.status, result.error);
  }
  return result.data as T;
}
