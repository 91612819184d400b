import { defineConfig, type Plugin } from 'vite';
import preact from '@preact/preset-vite';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { SERVICE_WORKER_ENTRY, serviceWorkerPrecache } from './site/service-worker-build';

// One npm project, several apps: each app is a folder with its own index.html, served under its
// own base path and built into dist/<app>/ (`WEB_APP=site vite build`; `npm run build` builds them all).
// The public site and web reporting app is the base URL's root; the console lives under /console/.
const apps = {
  console: { root: 'console', base: '/console/' },
  site: { root: 'site', base: '/' },
} as const;

type AppName = keyof typeof apps;

function chosenApp(): AppName {
  const name = process.env.WEB_APP ?? 'console';
  if (!(name in apps)) throw new Error(`Unknown web app "${name}"; known: ${Object.keys(apps).join(', ')}`);
  return name as AppName;
}

/**
 * The site's API reference (/docs/api/): its page, init.js and docs.css are in site/public/docs/api/;
 * Swagger UI's own files come from the pinned swagger-ui-dist package, added beside them at build
 * (and served from node_modules by `npm run dev`), so the page needs no CDN and works offline.
 */
function swaggerUiFiles(): Plugin {
  const files = ['swagger-ui-bundle.js', 'swagger-ui.css'];
  const packageDir = createRequire(import.meta.url).resolve('swagger-ui-dist/package.json').replace(/package\.json$/, '');
  const source = (name: string) => readFileSync(`${packageDir}${name}`);
  return {
    name: 'phananh-swagger-ui-files',
    generateBundle() {
      for (const name of files) this.emitFile({ type: 'asset', fileName: `docs/api/${name}`, source: source(name) });
    },
    configureServer(server) {
      server.middlewares.use((request, response, next) => {
        const name = files.find((file) => request.url === `/docs/api/${file}`);
        if (!name) return next();
        response.setHeader('Content-Type', name.endsWith('.css') ? 'text/css' : 'text/javascript');
        response.end(source(name));
      });
    },
  };
}

const appName = chosenApp();
const app = apps[appName];
const webDir = fileURLToPath(new URL('.', import.meta.url));

// The site's service worker: a second entry built to the fixed URL /sw.js (its scope is the root),
// with the list of everything the build made written into it.
const siteServiceWorker =
  appName === 'site'
    ? {
        plugins: [serviceWorkerPrecache(`${webDir}site/public`, app.base)],
        input: { index: `${webDir}site/index.html`, [SERVICE_WORKER_ENTRY]: `${webDir}site/src/sw.ts` },
        output: {
          entryFileNames: (chunk: { name: string }) => (chunk.name === SERVICE_WORKER_ENTRY ? '[name].js' : 'assets/[name]-[hash].js'),
        },
      }
    : null;

export default defineConfig({
  root: `${webDir}${app.root}`,
  base: app.base,
  plugins: [preact(), ...(appName === 'site' ? [swaggerUiFiles()] : []), ...(siteServiceWorker?.plugins ?? [])],
  // amazon-cognito-identity-js still reads the Node global in a few places.
  define: { global: 'globalThis' },
  build: {
    outDir: `${webDir}dist/${appName}`,
    emptyOutDir: true,
    // No inline module-preload polyfill: the console is served with script-src 'self'.
    modulePreload: { polyfill: false },
    assetsInlineLimit: 0,
    sourcemap: false,
    // dist/<app>/.vite/manifest.json: which chunks each entry and screen loads (read by benchmarks/console.py).
    manifest: true,
    ...(siteServiceWorker && { rolldownOptions: { input: siteServiceWorker.input, output: siteServiceWorker.output } }),
  },
  server: {
    // `npm run dev` against the local stack: the API is same-origin, so the gateway is proxied.
    proxy: Object.fromEntries(
      ['/officer', '/coordinator', '/public', '/reports', '/categories', '/open311', '/openapi.json', '/open-data'].map((prefix) => [
        prefix,
        process.env.PHANANH_API ?? 'http://127.0.0.1:8000',
      ]),
    ),
  },
});
