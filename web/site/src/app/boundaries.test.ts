// @vitest-environment node
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve, sep } from 'node:path';
import { describe, expect, it } from 'vitest';

// web/README.md's rule for the site as for the console: a feature reaches another only through
// that feature's index, and the shell (site/src/app) and web/shared never reach into a feature.
const SITE_SRC = resolve(__dirname, '..');
const FEATURES = join(SITE_SRC, 'features');
const SHARED = resolve(SITE_SRC, '../../shared');

function sourcesUnder(folder: string): string[] {
  return readdirSync(folder).flatMap((name) => {
    const path = join(folder, name);
    if (statSync(path).isDirectory()) return sourcesUnder(path);
    return /\.(ts|tsx)$/.test(name) && !name.endsWith('.d.ts') ? [path] : [];
  });
}

function importsOf(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  const found = [...text.matchAll(/(?:from\s+|import\s*\(\s*)['"](\.[^'"]+)['"]/g)].map((match) => match[1] as string);
  return found.map((specifier) => resolve(file, '..', specifier));
}

/** The site feature a path belongs to, and the rest of the path inside it ('' for the feature's index). */
function featureOf(path: string): { feature: string; inside: string } | null {
  const within = relative(FEATURES, path);
  if (within.startsWith('..')) return null;
  const [feature = '', ...rest] = within.split(sep);
  return { feature, inside: rest.join('/') };
}

const isIndex = (inside: string) => inside === '' || inside === 'index';

describe('the site\'s feature boundaries', () => {
  it('tells a feature\'s index from its internals', () => {
    expect(featureOf(join(FEATURES, 'explore'))).toEqual({ feature: 'explore', inside: '' });
    expect(featureOf(join(FEATURES, 'league', 'LeagueScreen'))).toEqual({ feature: 'league', inside: 'LeagueScreen' });
    expect(featureOf(join(SITE_SRC, 'app', 'router'))).toBeNull();
  });

  it('a feature imports another feature only through its index', () => {
    const crossings = sourcesUnder(FEATURES).flatMap((file) => {
      const own = featureOf(file)!.feature;
      return importsOf(file)
        .map((target) => ({ target, to: featureOf(target) }))
        .filter(({ to }) => to && to.feature !== own && !isIndex(to.inside))
        .map(({ target }) => `${relative(SITE_SRC, file)} → ${relative(SITE_SRC, target)}`);
    });
    expect(crossings).toEqual([]);
  });

  it('the shell reaches a feature only through its index, and web/shared never', () => {
    const shell = sourcesUnder(join(SITE_SRC, 'app')).filter((file) => !file.endsWith('.test.ts'));
    // The shell finds each feature's routes.ts by import.meta.glob, which is not an import statement.
    const reaching = [
      ...shell.flatMap((file) => importsOf(file).map((target) => ({ file, to: featureOf(target), target }))
        .filter(({ to }) => to && !isIndex(to.inside))),
      ...sourcesUnder(SHARED).flatMap((file) => importsOf(file).map((target) => ({ file, to: featureOf(target), target }))
        .filter(({ to }) => to !== null)),
    ].map(({ file, target }) => `${relative(SITE_SRC, file)} → ${relative(SITE_SRC, target)}`);
    expect(reaching).toEqual([]);
  });

  it('every feature\'s routes.ts lists at least one page and no two features claim a path', async () => {
    const { ROUTES } = await import('./routes');
    const paths = ROUTES.map((route) => route.path);
    expect(paths.length).toBeGreaterThan(0);
    expect(new Set(paths).size).toBe(paths.length);
  });
});
