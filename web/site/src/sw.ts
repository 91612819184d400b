// The site's service worker (built to /sw.js, scope /): the app shell and every built file are
// precached so the site opens offline; the public API's GETs go to the network first and fall back
// to the last answer; the reporter's own views (sent with their tracking token) and every POST are
// left alone, never cached. It imports nothing, so it is built as one self-contained file.

interface ExtendableEvent extends Event {
  waitUntil(promise: Promise<unknown>): void;
}
interface FetchEvent extends ExtendableEvent {
  readonly request: Request;
  respondWith(response: Promise<Response> | Response): void;
}
interface WorkerScope {
  location: Location;
  skipWaiting(): Promise<void>;
  clients: { claim(): Promise<void> };
  addEventListener(type: 'install' | 'activate', listener: (event: ExtendableEvent) => void): void;
  addEventListener(type: 'fetch', listener: (event: FetchEvent) => void): void;
}

const worker = self as unknown as WorkerScope & { __phananhPrecache?: { urls: string[]; version: string } };

// Written by the build as the file's first line (web/site/service-worker-build.ts): every built file, and
// a version made from their hashed names. Under `vite dev` there is none, and nothing is precached.
const { urls: PRECACHE, version: SHELL_VERSION } = worker.__phananhPrecache ?? { urls: [], version: 'dev' };

const SHELL_CACHE = `phananh-shell-${SHELL_VERSION}`;
const API_CACHE = 'phananh-public-api';
/** The page every site URL is served from (the app routes in the browser). */
const SHELL = '/';
/** The site's pages (web/site routes), answered with the shell when the network is gone. */
const SITE_PAGE = /^\/(?:new|mine(?:\/[^/]+)?|report\/[^/]+|league(?:\/method)?|data)?\/?$/;
/** Public, anonymous API reads worth keeping for offline use (the categories, wards, public reports). */
const PUBLIC_READ = /^\/(?:categories$|config\.json$|public\/)/;
const PRECACHED = new Set(PRECACHE);
/** The public answers kept for offline use, at most (the oldest go first): filters make many URLs. */
const API_CACHE_ENTRIES = 60;

worker.addEventListener('install', (event) => {
  event.waitUntil(
    caches
      .open(SHELL_CACHE)
      .then((cache) => cache.addAll([SHELL, ...PRECACHE]))
      .then(() => worker.skipWaiting()),
  );
});

worker.addEventListener('activate', (event) => {
  event.waitUntil(
    caches
      .keys()
      .then((names) => Promise.all(names.filter((name) => name.startsWith('phananh-shell-') && name !== SHELL_CACHE).map((name) => caches.delete(name))))
      .then(() => worker.clients.claim()),
  );
});

/** May this answer be kept? Not when the API says no-store or private (a person's data). */
function storable(response: Response): boolean {
  const control = response.headers.get('Cache-Control') ?? '';
  return response.ok && response.type === 'basic' && !/no-store|private/i.test(control);
}

/** The network's answer (kept in `keepIn` when storable); when there is none, the cached one or `fallback`'s. */
async function networkFirst(request: Request, keepIn: string | null, fallback?: string): Promise<Response> {
  try {
    const response = await fetch(request);
    if (keepIn && storable(response)) {
      const copy = response.clone();
      void caches.open(keepIn).then(async (cache) => {
        await cache.put(request, copy);
        if (keepIn !== API_CACHE) return;
        const keys = await cache.keys();
        await Promise.all(keys.slice(0, Math.max(0, keys.length - API_CACHE_ENTRIES)).map((key) => cache.delete(key)));
      });
    }
    return response;
  } catch (error) {
    const cached = (await caches.match(request)) ?? (fallback ? await caches.match(fallback) : undefined);
    if (cached) return cached;
    throw error;
  }
}

async function cacheFirst(request: Request): Promise<Response> {
  return (await caches.match(request)) ?? fetch(request);
}

worker.addEventListener('fetch', (event) => {
  const { request } = event;
  if (request.method !== 'GET') return;
  const url = new URL(request.url);
  if (url.origin !== worker.location.origin) return;
  if (request.mode === 'navigate') {
    if (SITE_PAGE.test(url.pathname)) event.respondWith(networkFirst(request, null, SHELL));
    return;
  }
  if (PRECACHED.has(url.pathname)) {
    event.respondWith(cacheFirst(request));
    return;
  }
  if (PUBLIC_READ.test(url.pathname) && !request.headers.has('Authorization')) {
    event.respondWith(networkFirst(request, API_CACHE));
  }
});
