import { describe, expect, it } from 'vitest';
import { changesBetween, templatesOf, type AuditEntry, type ReportDetail } from './model';

function entry(action: string, to_status: string, at: string): AuditEntry {
  return { at, actor: 'officer:a', action, from_status: null, to_status, reason: null, public: true };
}

function report(status: string, version: number, timeline: AuditEntry[]): ReportDetail {
  return { report_id: 'PA1', status, version, timeline } as unknown as ReportDetail;
}

describe('what changed meanwhile (409)', () => {
  it('names the new state and only the entries added since', () => {
    const seen = [entry('route', 'ASSIGNED', '2026-12-01T01:00:00Z'), entry('acknowledge', 'ACKNOWLEDGED', '2026-12-01T02:00:00Z')];
    const now = [...seen, entry('start_work', 'IN_PROGRESS', '2026-12-01T03:00:00Z')];
    const changes = changesBetween(report('ACKNOWLEDGED', 3, seen), report('IN_PROGRESS', 4, now));
    expect(changes.status).toEqual({ before: 'ACKNOWLEDGED', after: 'IN_PROGRESS' });
    expect(changes.newEntries.map((e) => e.action)).toEqual(['start_work']);
    expect([changes.versionBefore, changes.versionAfter]).toEqual([3, 4]);
  });

  it('has no state change when only a note was added', () => {
    const seen = [entry('start_work', 'IN_PROGRESS', '2026-12-01T03:00:00Z')];
    const changes = changesBetween(report('IN_PROGRESS', 4, seen), report('IN_PROGRESS', 5, [...seen, entry('note', 'IN_PROGRESS', '2026-12-01T04:00:00Z')]));
    expect(changes.status).toBeNull();
    expect(changes.newEntries).toHaveLength(1);
  });
});

describe('response templates', () => {
  it('keeps the well-formed templates of the asked kind', () => {
    const raw = [
      { id: 'ack', kind: 'acknowledge', text: { vi: 'Đã nhận', en: 'Received' } },
      { id: 'res', kind: 'resolve', text: { vi: 'Đã xong', en: 'Done' } },
      { id: 'broken', kind: 'resolve', text: { vi: 'thiếu tiếng Anh' } },
    ];
    expect(templatesOf(raw, 'resolve').map((t) => t.id)).toEqual(['res']);
    expect(templatesOf(raw, 'transfer')).toEqual([]);
  });
});
