import { openDB, type IDBPDatabase } from 'idb';

/**
 * What the outbox and "my reports" keep on the device, behind the smallest interface they need, so
 * their logic is tested with the in-memory store and the browser tests exercise IndexedDB itself.
 */
export interface KeyValueStore<T> {
  get(key: string): Promise<T | undefined>;
  put(key: string, value: T): Promise<void>;
  delete(key: string): Promise<void>;
  all(): Promise<T[]>;
}

/** A store that lives as long as the page: for tests, and where IndexedDB is refused (some private modes). */
export function memoryStore<T>(): KeyValueStore<T> {
  const items = new Map<string, T>();
  return {
    async get(key) {
      return items.get(key);
    },
    async put(key, value) {
      items.set(key, value);
    },
    async delete(key) {
      items.delete(key);
    },
    async all() {
      return [...items.values()];
    },
  };
}

const DATABASE = 'phananh-reporting';
const VERSION = 1;
/** The reports waiting to be sent (with their photos as Blobs), and the reports this device follows. */
export type StoreName = 'outbox' | 'mine';

let database: Promise<IDBPDatabase> | null = null;

function open(): Promise<IDBPDatabase> {
  database ??= openDB(DATABASE, VERSION, {
    upgrade(db) {
      if (!db.objectStoreNames.contains('outbox')) db.createObjectStore('outbox');
      if (!db.objectStoreNames.contains('mine')) db.createObjectStore('mine');
    },
  });
  return database;
}

/** One object store of the device's database (values are structured clones: Blobs are kept as they are). */
export function indexedDbStore<T>(name: StoreName): KeyValueStore<T> {
  return {
    async get(key) {
      return (await (await open()).get(name, key)) as T | undefined;
    },
    async put(key, value) {
      await (await open()).put(name, value, key);
    },
    async delete(key) {
      await (await open()).delete(name, key);
    },
    async all() {
      return (await (await open()).getAll(name)) as T[];
    },
  };
}
