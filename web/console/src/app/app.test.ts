import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../../shared/config';
import { parseConfig } from './config';
import { matchPath, safeReturnPath } from './router';

describe('router', () => {
  it('matches parameters and nothing else', () => {
    expect(matchPath('/reports/:id', '/reports/PA261123QY9DA9AH')).toEqual({ id: 'PA261123QY9DA9AH' });
    expect(matchPath('/reports/:id', '/reports')).toBeNull();
    expect(matchPath('/', '/')).toEqual({});
    expect(matchPath('/map', '/team')).toBeNull();
  });

  it('returns after sign-in only to a path inside the console', () => {
    expect(safeReturnPath('/reports/PA1?x=1')).toBe('/reports/PA1?x=1');
    expect(safeReturnPath('//evil.example/x')).toBe('/');
    expect(safeReturnPath('https://evil.example')).toBe('/');
    expect(safeReturnPath('/sign-in?next=/x')).toBe('/');
    expect(safeReturnPath(null)).toBe('/');
  });
});

describe('config.json', () => {
  const local = {
    region: 'ap-southeast-1',
    userPoolId: 'ap-southeast-1_abc123',
    clientId: 'client',
    cognitoEndpoint: 'http://127.0.0.1:5000/',
    authFlow: 'USER_PASSWORD_AUTH',
    tileUrl: null,
    tileAttribution: null,
  };

  it('reads the local stack config', () => {
    expect(parseConfig(local)).toEqual(local);
  });

  it('defaults to SRP and names a missing key', () => {
    const { authFlow: _unused, ...cloud } = { ...local, cognitoEndpoint: null };
    expect(parseConfig(cloud).authFlow).toBe('USER_SRP_AUTH');
    expect(() => parseConfig({ ...local, clientId: '' })).toThrow(/clientId/);
    expect(() => parseConfig({ ...local, authFlow: 'CUSTOM_AUTH' })).toThrow(ConfigError);
  });
});
