import { createApiClient, type ApiClient } from '../../../../shared/api';

/** The citizen API needs no sign-in: the client carries no token (a report's own token goes per call). */
const ANONYMOUS = { idToken: async () => null, refresh: async () => null };

let client: ApiClient | null = null;

export function siteApi(): ApiClient {
  client ??= createApiClient(ANONYMOUS);
  return client;
}

/** The header that proves this device filed a report: sent to the API only, never put in a URL. */
export function trackingHeader(token: string): { Authorization: string } {
  return { Authorization: `Bearer ${token}` };
}
