import { retryDelayMs } from './backoff';
import type { MyReports } from './mine';
import type { ErrorBody, NewReport, QueuedReport, Receipt, UploadForm } from './model';
import type { KeyValueStore } from './store';

/** What the API said to a filing. */
export type FileAnswer =
  | { kind: 'filed'; receipt: Receipt }
  /** Offline, a server error, "still in progress" (409), "too many" (429, with its Retry-After). */
  | { kind: 'retry'; afterMs?: number }
  /** A bad field (400) or a key reused with another body (422): the same request would fail again. */
  | { kind: 'refused'; error: ErrorBody };

/** What the photo storage said to one upload. */
export type UploadAnswer = 'done' | 'expired' | 'retry' | 'refused';

/** How the sender reaches the API and the photo storage (the real one: ./transport.ts). */
export interface Transport {
  file(idempotencyKey: string, body: NewReport): Promise<FileAnswer>;
  upload(form: UploadForm, photo: Blob): Promise<UploadAnswer>;
}

export interface SenderOptions {
  outbox: KeyValueStore<QueuedReport>;
  mine: MyReports;
  transport: Transport;
  newKey?: () => string;
  now?: () => number;
  /** Whether the device thinks it is online (navigator.onLine): when not, nothing is tried. */
  online?: () => boolean;
  /** Where a retry is scheduled (setTimeout in the page); returns a cancel function. */
  schedule?: (run: () => void, delayMs: number) => () => void;
  /** Runs every exclusive step, e.g. under a Web Lock so two tabs do not send the same outbox at once. */
  exclusive?: <T>(work: () => Promise<T>) => Promise<T>;
}

/** What a report's sending came to, told to whoever listens (the screens, the live region). */
export type SendEvent =
  | { kind: 'filed'; key: string; reportId: string }
  | { kind: 'sent'; key: string; reportId: string; photosLost: number }
  | { kind: 'waiting'; key: string; nextAttemptAt: number }
  | { kind: 'refused'; key: string; error: ErrorBody };

/** Offline, the outbox is looked at again this often (the 'online' event is the quick way back). */
export const OFFLINE_RECHECK_MS = 30_000;

/** A form is renewed a little before it expires: an upload started then could outlast it. */
const FORM_MARGIN_MS = 30_000;

function expired(form: UploadForm, now: number): boolean {
  return Boolean(form.expires_at) && Date.parse(form.expires_at as string) - FORM_MARGIN_MS <= now;
}

/**
 * Sends the outbox: each report is filed with its Idempotency-Key, then its photos go, in order,
 * through the presigned forms of the receipt. Every step is written to the outbox before the next,
 * so a reload (or a crash) resumes where it stopped; a filing retried after an unknown outcome gets
 * the same receipt back, so no report is filed twice.
 */
export class Sender {
  private readonly options: Required<SenderOptions>;
  private running: Promise<void> | null = null;
  private again = false;
  private forceNext = false;
  private cancelTimer: (() => void) | null = null;
  private readonly listeners = new Set<(event: SendEvent) => void>();

  constructor(options: SenderOptions) {
    this.options = {
      newKey: () => crypto.randomUUID(),
      now: () => Date.now(),
      online: () => true,
      schedule: (run, delayMs) => {
        const timer = setTimeout(run, delayMs);
        return () => clearTimeout(timer);
      },
      exclusive: (work) => work(),
      ...options,
    };
  }

  onEvent(listener: (event: SendEvent) => void): () => void {
    this.listeners.add(listener);
    return () => {
      this.listeners.delete(listener);
    };
  }

  /** Queue a report (it is on the device from here on), then try to send it. */
  async enqueue(body: NewReport, photos: Blob[]): Promise<QueuedReport> {
    const item: QueuedReport = {
      key: this.options.newKey(),
      body: { ...body, photo_count: photos.length },
      photos,
      queuedAt: new Date(this.options.now()).toISOString(),
      filed: null,
      uploaded: 0,
      photosLost: 0,
      attempts: 0,
      nextAttemptAt: 0,
      refusal: null,
    };
    await this.options.outbox.put(item.key, item);
    void this.flush();
    return item;
  }

  /** What is still waiting, oldest first. */
  async pending(): Promise<QueuedReport[]> {
    return (await this.options.outbox.all()).sort((a, b) => a.queuedAt.localeCompare(b.queuedAt));
  }

  /** Give up a report the API refused (it stays in the outbox until the reporter says so). */
  async discard(key: string): Promise<void> {
    await this.options.outbox.delete(key);
  }

  /**
   * Send whatever is due; `now: true` (the connection came back, the reporter asked) also what waits
   * for its backoff. One run at a time: a call during a run makes it go round once more.
   */
  flush({ now = false } = {}): Promise<void> {
    if (now) this.forceNext = true;
    if (this.running) {
      this.again = true;
      return this.running;
    }
    this.running = (async () => {
      try {
        do {
          this.again = false;
          const force = this.forceNext;
          this.forceNext = false;
          await this.options.exclusive(() => this.sendDue(force));
        } while (this.again);
      } finally {
        this.running = null;
      }
      await this.scheduleNext();
    })();
    return this.running;
  }

  private async sendDue(force: boolean): Promise<void> {
    for (const item of await this.pending()) {
      if (!this.options.online()) return;
      if (item.refusal) continue;
      if (!force && item.nextAttemptAt > this.options.now()) continue;
      await this.send(item);
    }
  }

  private async scheduleNext(): Promise<void> {
    this.cancelTimer?.();
    this.cancelTimer = null;
    const waiting = (await this.options.outbox.all()).filter((item) => !item.refusal);
    if (!waiting.length) return;
    const soonest = Math.min(...waiting.map((item) => item.nextAttemptAt));
    const delayMs = this.options.online() ? Math.max(0, soonest - this.options.now()) : OFFLINE_RECHECK_MS;
    this.cancelTimer = this.options.schedule(() => void this.flush(), delayMs);
  }

  private emit(event: SendEvent): void {
    for (const listener of this.listeners) listener(event);
  }

  private async save(item: QueuedReport): Promise<void> {
    await this.options.outbox.put(item.key, item);
  }

  private async wait(item: QueuedReport, afterMs?: number): Promise<void> {
    item.attempts += 1;
    item.nextAttemptAt = this.options.now() + (afterMs ?? retryDelayMs(item.attempts));
    await this.save(item);
    this.emit({ kind: 'waiting', key: item.key, nextAttemptAt: item.nextAttemptAt });
  }

  /** File it (again, with the same key and body: the same receipt), and keep the receipt's forms. */
  private async file(item: QueuedReport): Promise<boolean> {
    const answer = await this.options.transport.file(item.key, item.body);
    if (answer.kind === 'retry') {
      await this.wait(item, answer.afterMs);
      return false;
    }
    if (answer.kind === 'refused') {
      item.refusal = answer.error;
      await this.save(item);
      this.emit({ kind: 'refused', key: item.key, error: answer.error });
      return false;
    }
    const { receipt } = answer;
    const first = item.filed === null;
    // The token first: once the outbox says "filed", the device must already be able to follow it.
    await this.options.mine.save({
      report_id: receipt.report_id,
      token: receipt.tracking_token,
      savedAt: new Date(this.options.now()).toISOString(),
      category: item.body.category,
      description: item.body.description,
    });
    item.filed = { report_id: receipt.report_id, created_at: receipt.created_at, uploads: receipt.uploads };
    item.attempts = 0;
    item.nextAttemptAt = 0;
    await this.save(item);
    if (first) this.emit({ kind: 'filed', key: item.key, reportId: receipt.report_id });
    return true;
  }

  private async send(item: QueuedReport): Promise<void> {
    if (!item.filed && !(await this.file(item))) return;
    let renewed = false;
    while (item.filed && item.uploaded + item.photosLost < item.photos.length) {
      const index = item.uploaded + item.photosLost;
      const form = item.filed.uploads[index];
      if (form && expired(form, this.options.now()) && !renewed) {
        renewed = true;
        if (!(await this.file(item))) return;
        continue;
      }
      if (!form) {
        // The API hands out forms only while the report still waits for its photos (before the cutoff).
        item.photosLost = item.photos.length - item.uploaded;
        break;
      }
      const answer = await this.options.transport.upload(form, item.photos[index] as Blob);
      if (answer === 'done') {
        item.uploaded += 1;
        item.attempts = 0;
        renewed = false;
        await this.save(item);
      } else if (answer === 'refused') {
        item.photosLost += 1;
        await this.save(item);
      } else if (answer === 'expired' && !renewed) {
        renewed = true;
        if (!(await this.file(item))) return;
      } else {
        await this.wait(item);
        return;
      }
    }
    if (!item.filed) return;
    await this.options.outbox.delete(item.key);
    this.emit({ kind: 'sent', key: item.key, reportId: item.filed.report_id, photosLost: item.photosLost });
  }
}
