// @vitest-environment node
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve, sep } from 'node:path';
import { describe, expect, it } from 'vitest';

// The rule web/README.md states: a feature reaches another only through that feature's index, and
// shared code (web/shared, console/src/app) never reaches into a feature. Checked on the sources
// themselves, since a rule nobody checks is a rule that drifts.
const CONSOLE_SRC = resolve(__dirname, '..');
const FEATURES = join(CONSOLE_SRC, 'features');
const SHARED = resolve(CONSOLE_SRC, '../../shared');

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

/** The feature a path belongs to, and the rest of the path inside it ('' for the feature's index). */
function featureOf(path: string): { feature: string; inside: string } | null {
  const within = relative(FEATURES, path);
  if (within.startsWith('..')) return null;
  const [feature = '', ...rest] = within.split(sep);
  return { feature, inside: rest.join('/') };
}

describe('feature boundaries', () => {
  it('tells a feature\'s index from its internals', () => {
    expect(featureOf(join(FEATURES, 'assignment'))).toEqual({ feature: 'assignment', inside: '' });
    expect(featureOf(join(FEATURES, 'report', 'Actions'))).toEqual({ feature: 'report', inside: 'Actions' });
    expect(featureOf(join(CONSOLE_SRC, 'app', 'router'))).toBeNull();
  });

  it('a feature imports another feature only through its index', () => {
    const crossings = sourcesUnder(FEATURES).flatMap((file) => {
      const own = featureOf(file)!.feature;
      return importsOf(file)
        .map((target) => ({ target, to: featureOf(target) }))
        .filter(({ to }) => to && to.feature !== own && to.inside !== '' && to.inside !== 'index')
        .map(({ target }) => `${relative(CONSOLE_SRC, file)} → ${relative(CONSOLE_SRC, target)}`);
    });
    expect(crossings).toEqual([]);
  });

  it('the shell reaches a feature only through its index, and web/shared never', () => {
    const isIndex = (inside: string) => inside === '' || inside === 'index';
    const shell = sourcesUnder(join(CONSOLE_SRC, 'app')).filter((file) => !file.endsWith('.test.ts'));
    const reaching = [
      ...shell.flatMap((file) => importsOf(file).map((target) => ({ file, to: featureOf(target), target }))
        .filter(({ to }) => to && !isIndex(to.inside))),
      ...sourcesUnder(SHARED).flatMap((file) => importsOf(file).map((target) => ({ file, to: featureOf(target), target }))
        .filter(({ to }) => to !== null)),
    ].map(({ file, target }) => `${relative(CONSOLE_SRC, file)} → ${relative(CONSOLE_SRC, target)}`);
    // The shell finds each feature's routes.ts by import.meta.glob, which is not an import statement.
    expect(reaching).toEqual([]);
  });
});
