/** A config.json that cannot be used; the message names what is wrong. */
export class ConfigError extends Error {
  override name = 'ConfigError';
}

/**
 * The app's config.json, which the deployment (or the local stack) writes next to its index.html,
 * checked by `parse`. Never from the HTTP cache: a deployment rewrites the file in place.
 */
export async function loadConfigFile<T>(parse: (raw: unknown) => T, fetcher: typeof fetch = fetch): Promise<T> {
  const response = await fetcher(`${import.meta.env.BASE_URL}config.json`, { cache: 'no-cache' });
  if (!response.ok) throw new ConfigError(`config.json: HTTP ${response.status}`);
  return parse(await response.json());
}
