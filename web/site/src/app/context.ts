import { createContext } from 'preact';
import { useContext } from 'preact/hooks';
import type { ApiClient } from '../../../shared/api';
import type { SiteConfig } from './config';

export interface Site {
  config: SiteConfig;
  /** The typed API client, anonymous: every route the site calls is public. */
  api: ApiClient;
}

export const SiteContext = createContext<Site | null>(null);

/** What every screen may use: the config (the map's tiles) and the API client. */
export function useSite(): Site {
  const value = useContext(SiteContext);
  if (!value) throw new Error('useSite outside the site');
  return value;
}
