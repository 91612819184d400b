import { describe, expect, it } from 'vitest';
import { deviceId } from './device';

describe('deviceId', () => {
  it('is made once and then remembered', () => {
    const saved = new Map<string, string>();
    const storage = { getItem: (key: string) => saved.get(key) ?? null, setItem: (key: string, value: string) => void saved.set(key, value) };
    const first = deviceId(storage);
    expect(first).toMatch(/^web-[0-9a-f-]{36}$/);
    expect(deviceId(storage)).toBe(first);
  });
});
