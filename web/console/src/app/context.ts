import { createContext } from 'preact';
import { useContext } from 'preact/hooks';
import type { ApiClient, ResponseOf } from '../../../shared/api';
import type { AuthSession } from '../features/auth';
import type { ConsoleConfig } from './config';

export type Me = ResponseOf<'/officer/me', 'get'>;
/** The roles Cognito gives; "officer" is every signed-in member of staff. */
export type Role = 'officer' | 'unit_head' | 'coordinator';

export interface Console {
  config: ConsoleConfig;
  api: ApiClient;
  auth: AuthSession;
  me: Me;
}

export const ConsoleContext = createContext<Console | null>(null);

/** What every screen may use: the config, the typed API client, the session and who is signed in. */
export function useConsole(): Console {
  const value = useContext(ConsoleContext);
  if (!value) throw new Error('useConsole outside the signed-in console');
  return value;
}

export function hasRole(me: Me, role: Role): boolean {
  return role === 'officer' || me.roles.includes(role);
}
