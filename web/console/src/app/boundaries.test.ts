// @vitest-environment node
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { appBoundaries } from '../../../shared/testing/boundaries';

// The rule web/README.md states: a feature reaches another only through that feature's index, and
// shared code (web/shared, console/src/app) never reaches into a feature.
const CONSOLE_SRC = resolve(__dirname, '..');
const { features: FEATURES, featureOf, featureCrossings, reachingIntoFeatures } = appBoundaries(CONSOLE_SRC);

describe('feature boundaries', () => {
  it('tells a feature\'s index from its internals', () => {
    expect(featureOf(join(FEATURES, 'assignment'))).toEqual({ feature: 'assignment', inside: '' });
    expect(featureOf(join(FEATURES, 'report', 'Actions'))).toEqual({ feature: 'report', inside: 'Actions' });
    expect(featureOf(join(CONSOLE_SRC, 'app', 'router'))).toBeNull();
  });

  it('a feature imports another feature only through its index', () => {
    expect(featureCrossings()).toEqual([]);
  });

  it('the shell reaches a feature only through its index, and web/shared never', () => {
    expect(reachingIntoFeatures()).toEqual([]);
  });
});
