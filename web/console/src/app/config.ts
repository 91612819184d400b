import { ConfigError, loadConfigFile } from '../../../shared/config';

/** What the deployment (or the local stack) writes to /console/config.json: the sign-in pool and the map. */
export interface ConsoleConfig {
  region: string;
  userPoolId: string;
  clientId: string;
  /** moto's URL locally; null in the cloud, where the pool's own endpoint is used. */
  cognitoEndpoint: string | null;
  /** USER_SRP_AUTH in the cloud; USER_PASSWORD_AUTH locally, because moto cannot do SRP. */
  authFlow: 'USER_SRP_AUTH' | 'USER_PASSWORD_AUTH';
  /** null: a blank base with the ward outlines only. */
  tileUrl: string | null;
  tileAttribution: string | null;
}

function text(value: unknown, key: string): string {
  if (typeof value !== 'string' || !value) throw new ConfigError(`config.json: "${key}" must be a non-empty string`);
  return value;
}

function optionalText(value: unknown, key: string): string | null {
  if (value === null || value === undefined || value === '') return null;
  return text(value, key);
}

/** Checks the parsed config.json, naming the first key that is wrong. */
export function parseConfig(raw: unknown): ConsoleConfig {
  if (typeof raw !== 'object' || raw === null) throw new ConfigError('config.json must be a JSON object');
  const data = raw as Record<string, unknown>;
  const authFlow = data.authFlow ?? 'USER_SRP_AUTH';
  if (authFlow !== 'USER_SRP_AUTH' && authFlow !== 'USER_PASSWORD_AUTH') {
    throw new ConfigError('config.json: "authFlow" must be USER_SRP_AUTH or USER_PASSWORD_AUTH');
  }
  return {
    region: text(data.region, 'region'),
    userPoolId: text(data.userPoolId, 'userPoolId'),
    clientId: text(data.clientId, 'clientId'),
    cognitoEndpoint: optionalText(data.cognitoEndpoint, 'cognitoEndpoint'),
    authFlow,
    tileUrl: optionalText(data.tileUrl, 'tileUrl'),
    tileAttribution: optionalText(data.tileAttribution, 'tileAttribution'),
  };
}

export function loadConfig(fetcher: typeof fetch = fetch): Promise<ConsoleConfig> {
  return loadConfigFile(parseConfig, fetcher);
}
