import { useEffect, useRef, useState } from 'preact/hooks';
import { unwrap, type ResponseOf } from '../../../../shared/api';
import { useText } from '../../../../shared/i18n';
import { announce } from '../../../../shared/ui';
import { useConsole } from '../../app/context';
import type { QueueItem } from './filters';
import { queueText } from './text';

type Queue = ResponseOf<'/officer/queue', 'get'>;

/** How often the queue is fetched again, so new reports appear without a reload. */
export const POLL_MS = 30_000;
const PAGE_SIZE = 200;
/** A unit with more open reports than this needs a narrower view than one list anyway. */
const MAX_PAGES = 10;

export interface QueueData {
  items: QueueItem[];
  counts: Queue['counts'] | null;
  loading: boolean;
  failed: boolean;
  updatedAt: Date | null;
  /** Reports that were not there at the previous fetch (none on the first). */
  fresh: ReadonlySet<string>;
  reload: () => void;
}

/** The unit's whole open queue, every page of it, fetched again every POLL_MS while the screen is open. */
export function useQueue(): QueueData {
  const { api } = useConsole();
  const words = useText(queueText);
  const [state, setState] = useState<Omit<QueueData, 'reload'>>({
    items: [], counts: null, loading: true, failed: false, updatedAt: null, fresh: new Set(),
  });
  const known = useRef<Set<string> | null>(null);
  const [tick, setTick] = useState(0);
  const wordsRef = useRef(words);
  wordsRef.current = words;

  useEffect(() => {
    let live = true;
    const load = async () => {
      try {
        const items: QueueItem[] = [];
        let counts: Queue['counts'] | null = null;
        let cursor: string | undefined;
        for (let page = 0; page < MAX_PAGES; page += 1) {
          const body: Queue = unwrap(await api.GET('/officer/queue', { params: { query: { limit: PAGE_SIZE, ...(cursor ? { cursor } : {}) } } }));
          counts ??= body.counts;
          items.push(...body.reports);
          if (!body.next_cursor) break;
          cursor = body.next_cursor;
        }
        if (!live) return;
        const previous = known.current;
        const fresh = new Set(previous ? items.filter((item) => !previous.has(item.report_id)).map((item) => item.report_id) : []);
        known.current = new Set(items.map((item) => item.report_id));
        if (fresh.size > 0) announce(wordsRef.current.newReports(fresh.size));
        setState({ items, counts, loading: false, failed: false, updatedAt: new Date(), fresh });
      } catch {
        if (live) setState((before) => ({ ...before, loading: false, failed: true }));
      }
    };
    void load();
    const timer = window.setInterval(() => void load(), POLL_MS);
    return () => {
      live = false;
      window.clearInterval(timer);
    };
  }, [api, tick]);

  return { ...state, reload: () => setTick((n) => n + 1) };
}

/** One timer for every clock on the page. */
const clockListeners = new Set<(now: number) => void>();
let clockTimer: number | null = null;

export function useNow(stepMs = 1000): number {
  const [now, setNow] = useState(Date.now);
  useEffect(() => {
    clockListeners.add(setNow);
    clockTimer ??= window.setInterval(() => {
      const at = Date.now();
      for (const listener of clockListeners) listener(at);
    }, stepMs);
    return () => {
      clockListeners.delete(setNow);
      if (clockListeners.size === 0 && clockTimer !== null) {
        window.clearInterval(clockTimer);
        clockTimer = null;
      }
    };
  }, [stepMs]);
  return now;
}
