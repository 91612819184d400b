import type { ComponentType } from 'preact';
import type { Role } from './context';

export interface ScreenProps {
  /** The path's parameters (":id" in "/reports/:id"). */
  params: Record<string, string>;
  query: URLSearchParams;
}

/**
 * One screen of the console. Each feature lists its screens in `features/<name>/routes.ts`
 * (default export: ConsoleRoute[]); the app finds them itself, so features never edit a shared table.
 */
export interface ConsoleRoute {
  /** App path under /console/, with ":name" parameters: "/", "/map", "/reports/:id". */
  path: string;
  /** Who may open it; a route is in the navigation for those roles only. */
  roles: Role[];
  /** In the navigation with this label, sorted by `order`; omit for screens reached by link. */
  nav?: { vi: string; en: string; order: number };
  /** The screen, loaded when first opened (keeps the first download small). */
  load: () => Promise<{ default: ComponentType<ScreenProps> }>;
}

const modules = import.meta.glob<{ default: ConsoleRoute[] }>('../features/*/routes.ts', { eager: true });

export const ROUTES: ConsoleRoute[] = Object.values(modules).flatMap((module) => module.default);
