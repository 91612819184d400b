// @vitest-environment node
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { appBoundaries } from '../../../shared/testing/boundaries';

// web/README.md's rule for the site as for the console: a feature reaches another only through
// that feature's index, and the shell (site/src/app) and web/shared never reach into a feature.
const SITE_SRC = resolve(__dirname, '..');
const { features: FEATURES, featureOf, featureCrossings, reachingIntoFeatures } = appBoundaries(SITE_SRC);

describe('the site\'s feature boundaries', () => {
  it('tells a feature\'s index from its internals', () => {
    expect(featureOf(join(FEATURES, 'explore'))).toEqual({ feature: 'explore', inside: '' });
    expect(featureOf(join(FEATURES, 'league', 'LeagueScreen'))).toEqual({ feature: 'league', inside: 'LeagueScreen' });
    expect(featureOf(join(SITE_SRC, 'app', 'router'))).toBeNull();
  });

  it('a feature imports another feature only through its index', () => {
    expect(featureCrossings()).toEqual([]);
  });

  it('the shell reaches a feature only through its index, and web/shared never', () => {
    expect(reachingIntoFeatures()).toEqual([]);
  });

  it('every feature\'s routes.ts lists at least one page and no two features claim a path', async () => {
    const { ROUTES } = await import('./routes');
    const paths = ROUTES.map((route) => route.path);
    expect(paths.length).toBeGreaterThan(0);
    expect(new Set(paths).size).toBe(paths.length);
  });
});
