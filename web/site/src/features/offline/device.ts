const DEVICE_KEY = 'phananh.device';

/**
 * This browser's random name, sent as `device_id`: the API counts its rate limit per device and
 * recognises a retry of the same Idempotency-Key from it even after the phone changed networks.
 */
export function deviceId(storage: Pick<Storage, 'getItem' | 'setItem'> | undefined = globalThis.localStorage): string {
  try {
    const known = storage?.getItem(DEVICE_KEY);
    if (known) return known;
    const fresh = `web-${crypto.randomUUID()}`;
    storage?.setItem(DEVICE_KEY, fresh);
    return fresh;
  } catch {
    return `web-${crypto.randomUUID()}`;
  }
}
