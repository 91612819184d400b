import type { MyReport } from './model';
import type { KeyValueStore } from './store';

/** The reports this device follows: kept on the device only (IndexedDB), newest first. */
export class MyReports {
  constructor(private readonly store: KeyValueStore<MyReport>) {}

  async list(): Promise<MyReport[]> {
    return (await this.store.all()).sort((a, b) => b.savedAt.localeCompare(a.savedAt));
  }

  get(reportId: string): Promise<MyReport | undefined> {
    return this.store.get(reportId);
  }

  /** Keep a report; a token once known is never replaced by none (following one's own report again). */
  async save(report: MyReport): Promise<void> {
    const known = await this.store.get(report.report_id);
    await this.store.put(report.report_id, { ...report, token: report.token ?? known?.token ?? null, savedAt: known?.savedAt ?? report.savedAt });
  }

  forget(reportId: string): Promise<void> {
    return this.store.delete(reportId);
  }
}
