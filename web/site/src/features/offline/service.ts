import type { ApiClient } from '../../../../shared/api';
import { MyReports } from './mine';
import type { MyReport, QueuedReport } from './model';
import { Sender } from './sender';
import { indexedDbStore, memoryStore, type KeyValueStore } from './store';
import { httpTransport } from './transport';

export interface Reporting {
  sender: Sender;
  mine: MyReports;
}

let reporting: Reporting | null = null;

function deviceStore<T>(name: 'outbox' | 'mine'): KeyValueStore<T> {
  return typeof indexedDB === 'undefined' ? memoryStore<T>() : indexedDbStore<T>(name);
}

/** Web Locks, where the browser has them: two tabs never send the outbox at the same time. */
function acrossTabs<T>(work: () => Promise<T>): Promise<T> {
  const locks = globalThis.navigator?.locks;
  return locks ? (locks.request('phananh-outbox', work) as Promise<T>) : work();
}

/**
 * The page's one outbox sender and "my reports", started on first use (with the site's API client):
 * it sends what an earlier visit left queued, again whenever the connection returns, and on its own
 * backoff timer.
 */
export function reportingService(api: ApiClient): Reporting {
  if (reporting) return reporting;
  const mine = new MyReports(deviceStore<MyReport>('mine'));
  const sender = new Sender({
    outbox: deviceStore<QueuedReport>('outbox'),
    mine,
    transport: httpTransport(api),
    online: () => globalThis.navigator?.onLine ?? true,
    exclusive: acrossTabs,
  });
  globalThis.addEventListener?.('online', () => void sender.flush({ now: true }));
  reporting = { sender, mine };
  void sender.flush();
  return reporting;
}
