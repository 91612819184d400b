import { describe, expect, it } from 'vitest';
import { retryDelayMs } from './backoff';
import { MyReports } from './mine';
import type { MyReport, NewReport, QueuedReport, Receipt, UploadForm } from './model';
import { OFFLINE_RECHECK_MS, Sender, type FileAnswer, type SendEvent, type Transport, type UploadAnswer } from './sender';
import { memoryStore } from './store';

const BODY: NewReport = { category: 'roads', description: 'Ổ gà', location: { lat: 9.779, lon: 105.47 }, photo_count: 0 };
const KEY = '0b5c6a7e-2f1d-4c1b-9a57-3c0f8f6b2d11';

function form(index: number, expiresAt = '2099-01-01T00:00:00Z'): UploadForm {
  return { url: 'http://storage.test/photos', fields: { key: `quarantine/PA1/${index}` }, key: `quarantine/PA1/${index}`, expires_at: expiresAt };
}

function receipt(photos: number, expiresAt?: string): Receipt {
  return {
    report_id: 'PA1',
    status: 'RECEIVED',
    created_at: '2026-12-02T01:00:00Z',
    photo_count: photos,
    tracking_token: 'secret-token',
    uploads: Array.from({ length: photos }, (_, index) => form(index + 1, expiresAt)),
  };
}

/** A transport that answers from scripts and remembers what it was asked. */
function scripted(fileAnswers: FileAnswer[], uploadAnswers: UploadAnswer[] = []) {
  const filings: Array<{ key: string; body: NewReport }> = [];
  const uploads: string[] = [];
  const transport: Transport = {
    async file(key, body) {
      filings.push({ key, body });
      return fileAnswers.shift() ?? { kind: 'retry' };
    },
    async upload(target) {
      uploads.push(target.key);
      return uploadAnswers.shift() ?? 'retry';
    },
  };
  return { transport, filings, uploads };
}

function setUp(transport: Transport, online = () => true) {
  const outbox = memoryStore<QueuedReport>();
  const mineStore = memoryStore<MyReport>();
  const mine = new MyReports(mineStore);
  let clock = Date.parse('2026-12-02T01:00:00Z');
  const timers: Array<{ run: () => void; delayMs: number }> = [];
  const events: SendEvent[] = [];
  const options = {
    outbox,
    mine,
    transport,
    newKey: () => KEY,
    now: () => clock,
    online,
    schedule: (run: () => void, delayMs: number) => {
      const timer = { run, delayMs };
      timers.push(timer);
      return () => timers.splice(timers.indexOf(timer), 1);
    },
  };
  const sender = new Sender(options);
  sender.onEvent((event) => events.push(event));
  return { sender, outbox, mine, timers, events, advance: (ms: number) => (clock += ms), options };
}

const photo = (name: string) => new Blob([name], { type: 'image/jpeg' });

describe('the outbox sender', () => {
  it('files once with its key, keeps the token in my reports, uploads each photo in order, then forgets it', async () => {
    const { transport, filings, uploads } = scripted([{ kind: 'filed', receipt: receipt(2) }], ['done', 'done']);
    const { sender, outbox, mine, events } = setUp(transport);
    await sender.enqueue(BODY, [photo('a'), photo('b')]);
    await sender.flush();
    expect(filings).toEqual([{ key: KEY, body: { ...BODY, photo_count: 2 } }]);
    expect(uploads).toEqual(['quarantine/PA1/1', 'quarantine/PA1/2']);
    expect(await outbox.all()).toEqual([]);
    expect((await mine.get('PA1'))?.token).toBe('secret-token');
    expect(events.map((event) => event.kind)).toEqual(['filed', 'sent']);
  });

  it('offline: keeps the report queued and tries nothing until the connection returns', async () => {
    let online = false;
    const { transport, filings } = scripted([{ kind: 'filed', receipt: receipt(0) }]);
    const { sender, outbox, timers } = setUp(transport, () => online);
    await sender.enqueue(BODY, []);
    await sender.flush();
    expect(filings).toEqual([]);
    expect(await outbox.all()).toHaveLength(1);
    // Offline it looks again now and then, not in a busy loop.
    expect(timers.map((timer) => timer.delayMs)).toEqual([OFFLINE_RECHECK_MS]);
    online = true;
    await sender.flush({ now: true });
    expect(filings).toHaveLength(1);
    expect(await outbox.all()).toEqual([]);
  });

  it('retries an unanswered filing with the same key and body, after a growing wait', async () => {
    const { transport, filings } = scripted([{ kind: 'retry' }, { kind: 'retry' }, { kind: 'filed', receipt: receipt(0) }]);
    const { sender, outbox, timers, advance } = setUp(transport);
    await sender.enqueue(BODY, []);
    await sender.flush();
    const [first] = await outbox.all();
    expect(first?.attempts).toBe(1);
    // Not due yet: a flush now sends nothing.
    await sender.flush();
    expect(filings).toHaveLength(1);
    expect(timers.at(-1)?.delayMs).toBeGreaterThanOrEqual(2000);
    advance(3000);
    await sender.flush();
    const [second] = await outbox.all();
    expect(second?.attempts).toBe(2);
    expect(second!.nextAttemptAt - Date.parse('2026-12-02T01:00:03Z')).toBeGreaterThanOrEqual(4000);
    advance(6000);
    await sender.flush();
    expect(filings.map((filing) => filing.key)).toEqual([KEY, KEY, KEY]);
    expect(new Set(filings.map((filing) => JSON.stringify(filing.body))).size).toBe(1);
    expect(await outbox.all()).toEqual([]);
  });

  it('honours Retry-After', async () => {
    const { transport } = scripted([{ kind: 'retry', afterMs: 60_000 }]);
    const { sender, outbox } = setUp(transport);
    await sender.enqueue(BODY, []);
    await sender.flush();
    const [item] = await outbox.all();
    expect(item!.nextAttemptAt - Date.parse('2026-12-02T01:00:00Z')).toBe(60_000);
  });

  it('resumes after a reload: a filed report is not filed again, only its remaining photos go', async () => {
    const first = scripted([{ kind: 'filed', receipt: receipt(2) }], ['done', 'retry']);
    const page = setUp(first.transport);
    await page.sender.enqueue(BODY, [photo('a'), photo('b')]);
    await page.sender.flush();
    expect(first.uploads).toEqual(['quarantine/PA1/1', 'quarantine/PA1/2']);

    // A new page on the same device storage.
    const second = scripted([], ['done']);
    const reloaded = new Sender({ ...page.options, transport: second.transport });
    await reloaded.flush({ now: true });
    expect(second.filings).toEqual([]);
    expect(second.uploads).toEqual(['quarantine/PA1/2']);
    expect(await page.outbox.all()).toEqual([]);
  });

  it('asks for new forms with the same key when they expired, and uploads with those', async () => {
    const fresh = receipt(1);
    const { transport, filings, uploads } = scripted(
      [{ kind: 'filed', receipt: receipt(1, '2026-12-02T01:00:10Z') }, { kind: 'filed', receipt: fresh }],
      ['done'],
    );
    const { sender, outbox } = setUp(transport, () => true);
    // The first receipt's form runs out within the margin: renewed before any upload is tried.
    await sender.enqueue(BODY, [photo('a')]);
    await sender.flush();
    expect(filings.map((filing) => filing.key)).toEqual([KEY, KEY]);
    expect(uploads).toEqual(['quarantine/PA1/1']);
    expect(await outbox.all()).toEqual([]);
  });

  it('storage saying 403 renews the forms once, then waits', async () => {
    const { transport, filings } = scripted(
      [{ kind: 'filed', receipt: receipt(1) }, { kind: 'filed', receipt: receipt(1) }],
      ['expired', 'expired'],
    );
    const { sender, outbox } = setUp(transport);
    await sender.enqueue(BODY, [photo('a')]);
    await sender.flush();
    expect(filings).toHaveLength(2);
    const [item] = await outbox.all();
    expect(item?.uploaded).toBe(0);
    expect(item?.attempts).toBe(1);
  });

  it('past the photo cutoff (a receipt without forms) the report is sent without its photos', async () => {
    const late = { ...receipt(2), uploads: [] };
    const { transport, uploads } = scripted([{ kind: 'filed', receipt: late }]);
    const { sender, outbox, events } = setUp(transport);
    await sender.enqueue(BODY, [photo('a'), photo('b')]);
    await sender.flush();
    expect(uploads).toEqual([]);
    expect(await outbox.all()).toEqual([]);
    expect(events.at(-1)).toEqual({ kind: 'sent', key: KEY, reportId: 'PA1', photosLost: 2 });
  });

  it('a refused report stays, marked, and is not retried', async () => {
    const error = { code: 'outside_service_area', message: { vi: 'Ngoài địa bàn', en: 'Outside' } };
    const { transport, filings } = scripted([{ kind: 'refused', error }]);
    const { sender, outbox, timers } = setUp(transport);
    await sender.enqueue(BODY, []);
    await sender.flush();
    await sender.flush({ now: true });
    expect(filings).toHaveLength(1);
    expect((await outbox.all())[0]?.refusal).toEqual(error);
    expect(timers).toEqual([]);
    await sender.discard(KEY);
    expect(await outbox.all()).toEqual([]);
  });

  it('flushes called together make one run: the report is filed once', async () => {
    const { transport, filings } = scripted([{ kind: 'filed', receipt: receipt(0) }, { kind: 'filed', receipt: receipt(0) }]);
    const { sender } = setUp(transport);
    await sender.enqueue(BODY, []);
    await Promise.all([sender.flush(), sender.flush(), sender.flush({ now: true })]);
    expect(filings).toHaveLength(1);
  });
});

describe('backoff', () => {
  it('doubles from 2 s to at most 5 min, with some jitter', () => {
    expect(retryDelayMs(1, () => 0)).toBe(2000);
    expect(retryDelayMs(2, () => 0)).toBe(4000);
    expect(retryDelayMs(30, () => 0)).toBe(300_000);
    expect(retryDelayMs(1, () => 1)).toBe(2500);
  });
});

describe('my reports', () => {
  it('keeps a known token when the same report is followed again without one', async () => {
    const mine = new MyReports(memoryStore<MyReport>());
    await mine.save({ report_id: 'PA1', token: 't', savedAt: '2026-12-02T01:00:00Z', category: 'roads', description: null });
    await mine.save({ report_id: 'PA1', token: null, savedAt: '2026-12-02T02:00:00Z', category: 'roads', description: null });
    await mine.save({ report_id: 'PA2', token: null, savedAt: '2026-12-02T03:00:00Z', category: 'waste', description: null });
    expect((await mine.get('PA1'))?.token).toBe('t');
    expect((await mine.list()).map((report) => report.report_id)).toEqual(['PA2', 'PA1']);
  });
});
