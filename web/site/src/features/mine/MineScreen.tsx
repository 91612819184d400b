import { useEffect, useState } from 'preact/hooks';
import { useSite } from '../../app/context';
import { usePageTitle } from '../../app/title';
import { Link } from '../../../../shared/router';
import { pick, useLang, useText } from '../../../../shared/i18n';
import { Button, StatusBadge, announce } from '../../../../shared/ui';
import { ConnectionNotice, reportingService, type MyReport, type QueuedReport } from '../offline';
import { mineText } from './text';
import { loadReport, type PublicReport, type ReporterReport } from './view';
import './mine.css';

type Status = { status: string; label: { vi: string; en: string } } | 'unknown';

/** /mine: what waits to be sent from this device, then every report it follows with its status now. */
export default function MineScreen() {
  const words = useText(mineText);
  const lang = useLang();
  const { api } = useSite();
  const { sender, mine } = reportingService(api);
  usePageTitle(words.title);
  const [queued, setQueued] = useState<QueuedReport[]>([]);
  const [reports, setReports] = useState<MyReport[] | null>(null);
  const [statuses, setStatuses] = useState<Record<string, Status>>({});

  const refresh = async () => {
    const [waiting, kept] = await Promise.all([sender.pending(), mine.list()]);
    // Once filed, a report is in "my reports" (its photos may still be on their way).
    setQueued(waiting.filter((item) => !item.filed));
    setReports(kept);
    for (const report of kept) {
      loadReport(api, report)
        .then((view: ReporterReport | PublicReport) => setStatuses((known) => ({ ...known, [report.report_id]: { status: view.status, label: view.status_label } })))
        .catch(() => setStatuses((known) => ({ ...known, [report.report_id]: 'unknown' })));
    }
  };

  useEffect(() => {
    void refresh();
    return sender.onEvent((event) => {
      if (event.kind === 'filed') announce(`${event.reportId}: ${words.mineBadge}`);
      void refresh();
    });
  }, []);

  return (
    <section class="mine" aria-labelledby="mine-title">
      <h1 id="mine-title">{words.title}</h1>
      <p>{words.intro}</p>
      <ConnectionNotice />
      {queued.length > 0 && (
        <ul class="mine-list" data-testid="queued-reports">
          {queued.map((item) => (
            <li key={item.key} data-testid="queued-report">
              <div class="mine-list__head">
                {item.refusal ? <StatusBadge status="refused" label={words.refused} /> : <StatusBadge status="waiting" label={words.waiting} />}
                <span>{new Date(item.queuedAt).toLocaleString(lang === 'vi' ? 'vi-VN' : 'en-GB')}</span>
              </div>
              <p>{item.body.description}</p>
              {item.refusal ? (
                <>
                  <p class="field__error">{pick(item.refusal.message, lang)}</p>
                  <Button variant="secondary" onClick={() => void sender.discard(item.key).then(refresh)}>
                    {words.discard}
                  </Button>
                </>
              ) : (
                <>
                  <p class="field__hint">{words.waitingHint}</p>
                  <Button variant="secondary" onClick={() => void sender.flush({ now: true })}>
                    {words.sendNow}
                  </Button>
                </>
              )}
            </li>
          ))}
        </ul>
      )}
      {reports === null && <p aria-busy="true">{words.loading}</p>}
      {reports?.length === 0 && queued.length === 0 && <p>{words.empty}</p>}
      {reports && reports.length > 0 && (
        <ul class="mine-list" data-testid="my-reports">
          {reports.map((report) => {
            const status = statuses[report.report_id];
            return (
              <li key={report.report_id} data-testid="my-report" data-report-id={report.report_id}>
                <div class="mine-list__head">
                  <Link to={`/mine/${encodeURIComponent(report.report_id)}`} aria-label={words.open(report.report_id)}>
                    {report.report_id}
                  </Link>
                  {status && status !== 'unknown' ? <StatusBadge status={status.status} label={pick(status.label, lang)} /> : null}
                  {status === 'unknown' && <span class="field__hint">{words.statusUnknown}</span>}
                  <span class="field__hint">{report.token ? words.mineBadge : words.followedBadge}</span>
                </div>
                {report.description && <p>{report.description}</p>}
              </li>
            );
          })}
        </ul>
      )}
      <p>
        <Link class="btn btn--primary" to="/new">
          {words.newReport}
        </Link>
      </p>
    </section>
  );
}
