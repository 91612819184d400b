import { ConfigError, loadConfigFile } from '../../../shared/config';

/**
 * What the deployment (or the local stack) writes to /config.json. The file is the console's shape
 * (phananh_cdk.web_apps.app_config); the site reads only the map's part of it.
 */
export interface SiteConfig {
  /** A tile URL template; null: a blank base with the ward outlines only. */
  tileUrl: string | null;
  tileAttribution: string | null;
}

/** The site without a config.json still works: a map on a blank base. */
export const DEFAULT_CONFIG: SiteConfig = { tileUrl: null, tileAttribution: null };

function optionalText(value: unknown, key: string): string | null {
  if (value === null || value === undefined || value === '') return null;
  if (typeof value !== 'string') throw new ConfigError(`config.json: "${key}" must be a string or null`);
  return value;
}

/** Checks the parsed config.json, naming the first key that is wrong. */
export function parseSiteConfig(raw: unknown): SiteConfig {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) throw new ConfigError('config.json must be a JSON object');
  const data = raw as Record<string, unknown>;
  return {
    tileUrl: optionalText(data.tileUrl, 'tileUrl'),
    tileAttribution: optionalText(data.tileAttribution, 'tileAttribution'),
  };
}

export function loadSiteConfig(fetcher: typeof fetch = fetch): Promise<SiteConfig> {
  return loadConfigFile(parseSiteConfig, fetcher);
}
