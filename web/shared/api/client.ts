import createClient from 'openapi-fetch';
import type { paths } from './schema';
import { toApiError } from './errors';

/** What the API client needs from whoever signed the user in. */
export interface TokenSource {
  /** A valid ID token, refreshed first when it expires within a minute; null when signed out. */
  idToken(): Promise<string | null>;
  /** Refresh the session now (after a 401), returning the new ID token or null if that failed. */
  refresh(): Promise<string | null>;
}

/** Nobody signed in: the public site's and the citizen's calls carry no token. */
export const ANONYMOUS: TokenSource = {
  idToken: async () => null,
  refresh: async () => null,
};

export type ApiClient = ReturnType<typeof createClient<paths>>;

function withToken(request: Request, token: string | null): Request {
  const headers = new Headers(request.headers);
  if (token) headers.set('Authorization', `Bearer ${token}`);
  return new Request(request, { headers });
}

/**
 * A fetch that adds the ID token and, on a 401, refreshes the session and tries once more: a token
 * revoked or expired between the check and the call should not sign the officer out.
 */
export function authenticatedFetch(tokens: TokenSource, baseFetch?: typeof fetch): typeof fetch {
  return async (input, init) => {
    // Looked up per call, so a page (or test) that wraps window.fetch later is still honoured.
    const send = baseFetch ?? globalThis.fetch;
    const request = new Request(input, init);
    const spare = request.clone();
    let response: Response;
    try {
      response = await send(withToken(request, await tokens.idToken()));
      if (response.status === 401) {
        const fresh = await tokens.refresh();
        if (fresh) response = await send(withToken(spare, fresh));
      }
    } catch (error) {
      if (error instanceof DOMException && error.name === 'AbortError') throw error;
      throw toApiError(0, null);
    }
    return response;
  };
}

/** The typed client of our API (same origin), every call carrying the officer's ID token. */
export function createApiClient(tokens: TokenSource, baseUrl = ''): ApiClient {
  const authFetch = authenticatedFetch(tokens);
  return createClient<paths>({ baseUrl: baseUrl || globalThis.location?.origin || '', fetch: (request) => authFetch(request) });
}
