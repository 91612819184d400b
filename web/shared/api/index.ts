export { ANONYMOUS, createApiClient, authenticatedFetch } from './client';
export type { ApiClient, TokenSource } from './client';
export { ApiError, toApiError, unwrap } from './errors';
export type { Text, ErrorBody } from './errors';
export type { components, paths } from './schema';

import type { paths as Paths } from './schema';

/** The JSON body of a route's 200 answer, straight from the generated schema. */
export type ResponseOf<P extends keyof Paths, M extends keyof Paths[P]> = Paths[P][M] extends {
  responses: { 200: { content: { 'application/json': infer Body } } };
}
  ? Body
  : never;
