import type { ComponentChildren, ComponentType, JSX } from 'preact';
import { useEffect, useState } from 'preact/hooks';

/**
 * A small history router for every app of web/: app paths are relative to the app's Vite base
 * (the console's "/console/", the site's "/"), so one app's code never spells out where it is served.
 */
const BASE = import.meta.env.BASE_URL.replace(/\/$/, '');

export interface Location {
  /** The app path, always starting with "/": "/", "/map", "/reports/PA…". */
  path: string;
  query: URLSearchParams;
}

export function currentLocation(): Location {
  let path = window.location.pathname;
  if (BASE && path.startsWith(BASE)) path = path.slice(BASE.length);
  if (!path.startsWith('/')) path = `/${path}`;
  return { path, query: new URLSearchParams(window.location.search) };
}

/** The browser URL of an app path ("/map" → "/console/map" in the console). */
export function href(appPath: string): string {
  return `${BASE}${appPath.startsWith('/') ? appPath : `/${appPath}`}`;
}

const listeners = new Set<() => void>();
function notify(): void {
  for (const listener of listeners) listener();
}
if (typeof window !== 'undefined') window.addEventListener('popstate', notify);

/** Go to an app path (query string included); `replace` rewrites the current history entry instead. */
export function navigate(appPath: string, { replace = false } = {}): void {
  const url = href(appPath);
  if (replace) window.history.replaceState(null, '', url);
  else window.history.pushState(null, '', url);
  notify();
}

export function useLocation(): Location {
  const [location, setLocation] = useState(currentLocation);
  useEffect(() => {
    const update = () => setLocation(currentLocation());
    listeners.add(update);
    return () => {
      listeners.delete(update);
    };
  }, []);
  return location;
}

/** "/reports/:id" against "/reports/PA1" → {id: "PA1"}; null when it does not match. */
export function matchPath(pattern: string, path: string): Record<string, string> | null {
  const want = pattern.split('/').filter(Boolean);
  const have = path.split('/').filter(Boolean);
  if (want.length !== have.length) return null;
  const params: Record<string, string> = {};
  for (const [index, part] of want.entries()) {
    const actual = have[index] as string;
    if (part.startsWith(':')) {
      try {
        params[part.slice(1)] = decodeURIComponent(actual);
      } catch {
        return null;
      }
    } else if (part !== actual) return null;
  }
  return params;
}

type LinkProps = Omit<JSX.HTMLAttributes<HTMLAnchorElement>, 'href'> & { to: string; children: ComponentChildren };

/** An ordinary link (it opens in a new tab as usual) that moves within the app without a reload. */
export function Link({ to, children, onClick, ...rest }: LinkProps) {
  return (
    <a
      {...rest}
      href={href(to)}
      onClick={(event) => {
        onClick?.(event);
        if (event.defaultPrevented || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
        event.preventDefault();
        navigate(to);
      }}
    >
      {children}
    </a>
  );
}

/** What the shells' route tables have in common: a path with ":name" parameters and a page loaded when first opened. */
export interface LazyRoute<P> {
  path: string;
  load: () => Promise<{ default: ComponentType<P> }>;
}

/** The route for a path and its parameters; null for a page the app does not have. */
export function findRoute<R extends { path: string }>(routes: R[], path: string): { route: R; params: Record<string, string> } | null {
  for (const route of routes) {
    const params = matchPath(route.path, path);
    if (params) return { route, params };
  }
  return null;
}

/** Loads a route's page on first use and keeps it. */
export function useScreen<P>(route: LazyRoute<P> | null): ComponentType<P> | null | 'failed' {
  const [screen, setScreen] = useState<{ route: LazyRoute<P>; component: ComponentType<P> } | 'failed' | null>(null);
  useEffect(() => {
    if (!route) return;
    let live = true;
    route
      .load()
      .then((module) => live && setScreen({ route, component: module.default }))
      .catch(() => live && setScreen('failed'));
    return () => {
      live = false;
    };
  }, [route]);
  if (screen === 'failed') return 'failed';
  return screen && screen.route === route ? screen.component : null;
}
