import type { ComponentType } from 'preact';

export interface ScreenProps {
  /** The path's parameters (":id" in "/report/:id"). */
  params: Record<string, string>;
  query: URLSearchParams;
}

/**
 * One page of the site. Each feature lists its pages in `features/<name>/routes.ts` (default
 * export: SiteRoute[]); the shell finds them itself, so features never edit a shared table.
 */
export interface SiteRoute {
  /** App path with ":name" parameters: "/", "/report/:id", "/league/method". */
  path: string;
  /** In the header's navigation with this label, sorted by `order`; omit for pages reached by link. */
  nav?: { vi: string; en: string; order: number };
  /** The page, loaded when first opened (keeps the first download small). */
  load: () => Promise<{ default: ComponentType<ScreenProps> }>;
}

const modules = import.meta.glob<{ default: SiteRoute[] }>('../features/*/routes.ts', { eager: true });

export const ROUTES: SiteRoute[] = Object.values(modules).flatMap((module) => module.default);

/** The navigation entry a path belongs to: itself, or the deepest entry it lies under ("/league/method" → "/league"). */
export function currentNav(routes: SiteRoute[], path: string): string | null {
  const entries = routes.filter((route) => route.nav).map((route) => route.path);
  const under = entries.filter((entry) => entry === path || (entry !== '/' && path.startsWith(`${entry}/`)));
  return under.sort((a, b) => b.length - a.length)[0] ?? null;
}
