import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import type { Plugin } from 'vite';

/** The service worker's entry (web/site/src/sw.ts), built to the fixed URL /sw.js (its scope is /). */
export const SERVICE_WORKER_ENTRY = 'sw';
/** Not precached: the API reference for developers (Swagger UI alone is over 1 MB) and the deployment's config. */
const NOT_PRECACHED = /^(?:docs\/|\.vite\/|config\.json$|index\.html$)/;

/** The global sw.ts reads them from (set by the first line of the built file). */
export const PRECACHE_GLOBAL = '__phananhPrecache';

function filesUnder(folder: string): string[] {
  return readdirSync(folder).flatMap((name) => {
    const path = join(folder, name);
    return statSync(path).isDirectory() ? filesUnder(path) : [path];
  });
}

/**
 * Writes into the built sw.js the list of what it precaches (every chunk, style and asset of the
 * build, and the public files: manifest, icons) and a version made from that list, so a new build
 * installs a new cache and the old one is dropped. It runs once the files are written: chunks that
 * the build drops at its end (a style-only module's empty JavaScript) are no longer in the bundle by
 * then, and one missing URL would make the worker's install fail.
 */
export function serviceWorkerPrecache(publicDir: string, base: string): Plugin {
  return {
    name: 'phananh-service-worker-precache',
    apply: 'build',
    writeBundle(options, bundle) {
      if (!options.dir) throw new Error('the service worker precache needs the build written to a directory');
      const built = Object.keys(bundle).filter((name) => name !== `${SERVICE_WORKER_ENTRY}.js`);
      const publicFiles = filesUnder(publicDir).map((path) => relative(publicDir, path).split(sep).join('/'));
      const urls = [...new Set([...built, ...publicFiles])]
        .filter((name) => !NOT_PRECACHED.test(name))
        .map((name) => `${base}${name}`)
        .sort();
      const version = createHash('sha256').update(urls.join('\n')).digest('hex').slice(0, 12);
      const workerPath = join(options.dir, `${SERVICE_WORKER_ENTRY}.js`);
      if (!(`${SERVICE_WORKER_ENTRY}.js` in bundle)) throw new Error('the service worker chunk sw.js is missing from the build');
      writeFileSync(workerPath, `self.${PRECACHE_GLOBAL}=${JSON.stringify({ urls, version })};\n${readFileSync(workerPath, 'utf8')}`);
    },
  };
}
