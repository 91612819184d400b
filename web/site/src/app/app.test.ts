import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../../shared/config';
import { findRoute } from '../../../shared/router';
import { parseSiteConfig } from './config';
import { currentNav, type SiteRoute } from './routes';

const page = () => Promise.resolve({ default: () => null });
const routes: SiteRoute[] = [
  { path: '/', nav: { vi: 'Bản đồ', en: 'Map', order: 10 }, load: page },
  { path: '/report/:id', load: page },
  { path: '/league', nav: { vi: 'Xếp hạng', en: 'League', order: 20 }, load: page },
  { path: '/league/method', load: page },
];

describe('the site\'s routes', () => {
  it('finds the page and its parameters, and nothing for an unknown path', () => {
    expect(findRoute(routes, '/report/PA261123QY9DA9AH')?.params).toEqual({ id: 'PA261123QY9DA9AH' });
    expect(findRoute(routes, '/league/method')?.route.path).toBe('/league/method');
    expect(findRoute(routes, '/nowhere')).toBeNull();
    expect(findRoute(routes, '/report/%E0%A4%A')).toBeNull();
  });

  it('marks the navigation entry a page lies under, never the map for every page', () => {
    expect(currentNav(routes, '/')).toBe('/');
    expect(currentNav(routes, '/league/method')).toBe('/league');
    expect(currentNav(routes, '/report/PA1')).toBeNull();
  });
});

describe('config.json', () => {
  it('reads the map part of the shared config, ignoring the sign-in keys', () => {
    const local = { region: 'ap-southeast-1', userPoolId: 'p', clientId: 'c', tileUrl: 'https://tiles.example/{z}/{x}/{y}.png', tileAttribution: '© OSM' };
    expect(parseSiteConfig(local)).toEqual({ tileUrl: local.tileUrl, tileAttribution: '© OSM' });
    expect(parseSiteConfig({ tileUrl: null, tileAttribution: '' })).toEqual({ tileUrl: null, tileAttribution: null });
  });

  it('names a wrong key', () => {
    expect(() => parseSiteConfig({ tileUrl: 7 })).toThrow(/tileUrl/);
    expect(() => parseSiteConfig([])).toThrow(ConfigError);
  });
});
