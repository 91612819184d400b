import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve, sep } from 'node:path';

// web/README.md's rule for every app: a feature reaches another only through that feature's index,
// and the shell (<app>/src/app) and web/shared never reach into a feature. Checked on the sources
// themselves, since a rule nobody checks is a rule that drifts; each app's boundaries.test.ts runs it.

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

const isIndex = (inside: string) => inside === '' || inside === 'index';

/** The boundaries of the app whose sources are in `appSrc` (web/<app>/src). */
export function appBoundaries(appSrc: string) {
  const features = join(appSrc, 'features');
  const shared = resolve(appSrc, '../../shared');
  const shown = (file: string, target: string) => `${relative(appSrc, file)} → ${relative(appSrc, target)}`;

  /** The feature a path belongs to, and the rest of the path inside it ('' for the feature's index). */
  function featureOf(path: string): { feature: string; inside: string } | null {
    const within = relative(features, path);
    if (within.startsWith('..')) return null;
    const [feature = '', ...rest] = within.split(sep);
    return { feature, inside: rest.join('/') };
  }

  /** Imports from one feature into another's internals ("file → target"). */
  function featureCrossings(): string[] {
    return sourcesUnder(features).flatMap((file) => {
      const own = featureOf(file)!.feature;
      return importsOf(file)
        .map((target) => ({ target, to: featureOf(target) }))
        .filter(({ to }) => to && to.feature !== own && !isIndex(to.inside))
        .map(({ target }) => shown(file, target));
    });
  }

  /** Imports from the shell into a feature's internals, and from web/shared into any feature. */
  function reachingIntoFeatures(): string[] {
    const shell = sourcesUnder(join(appSrc, 'app')).filter((file) => !file.endsWith('.test.ts'));
    // The shell finds each feature's routes.ts by import.meta.glob, which is not an import statement.
    return [
      ...shell.flatMap((file) => importsOf(file).map((target) => ({ file, to: featureOf(target), target }))
        .filter(({ to }) => to && !isIndex(to.inside))),
      ...sourcesUnder(shared).flatMap((file) => importsOf(file).map((target) => ({ file, to: featureOf(target), target }))
        .filter(({ to }) => to !== null)),
    ].map(({ file, target }) => shown(file, target));
  }

  return { features, featureOf, featureCrossings, reachingIntoFeatures };
}
