import './report.css';
import { useCallback, useEffect, useState } from 'preact/hooks';
import { ApiError, unwrap } from '../../../../shared/api';
import { formatDateTime, pick, useLang, useText } from '../../../../shared/i18n';
import { LeafletMap, loadWards } from '../../../../shared/map';
import { Button, StatusBadge } from '../../../../shared/ui';
import type { FeatureCollection } from 'geojson';
import { useConsole } from '../../app/context';
import { Link } from '../../app/router';
import type { ScreenProps } from '../../app/routes';
import { statusLabel, statusText } from '../../app/status';
import { AssigneePicker } from '../assignment';
import { Actions } from './Actions';
import { Duplicates } from './Duplicates';
import type { ReportDetail } from './model';
import { PhotoGallery } from './Photos';
import { QuestionPanel } from './QuestionPanel';
import { actionLabel, actionText, reportText } from './text';

const PURPOSES = ['clarify_report', 'verify_location', 'assess_rejection', 'assess_duplicate'] as const;
type Purpose = (typeof PURPOSES)[number];

type Loaded =
  | { kind: 'loading' }
  | { kind: 'missing' }
  | { kind: 'failed' }
  | { kind: 'ready'; report: ReportDetail }
  | { kind: 'handed_over'; unitName: string | null };

function useReport(id: string, purpose: Purpose | null) {
  const { api } = useConsole();
  const [state, setState] = useState<Loaded>({ kind: 'loading' });
  const reload = useCallback(async (): Promise<ReportDetail | null> => {
    try {
      const query = purpose ? { purpose } : {};
      const report = unwrap(await api.GET('/officer/reports/{report_id}', { params: { path: { report_id: id }, query } })) as ReportDetail;
      setState({ kind: 'ready', report });
      return report;
    } catch (error) {
      setState((before) => (before.kind === 'ready' ? before : { kind: error instanceof ApiError && error.status === 404 ? 'missing' : 'failed' }));
      return null;
    }
  }, [id, purpose]);
  useEffect(() => {
    setState({ kind: 'loading' });
    void reload();
  }, [reload]);
  return {
    state,
    reload,
    setReport: (report: ReportDetail) => setState({ kind: 'ready', report }),
    handedOver: (unitName: string | null) => setState({ kind: 'handed_over', unitName }),
  };
}

function Contact({ report, purpose, onPurpose }: { report: ReportDetail; purpose: Purpose | null; onPurpose: (purpose: Purpose) => void }) {
  const words = useText(reportText);
  const { me } = useConsole();
  const [chosen, setChosen] = useState<Purpose>(purpose ?? 'clarify_report');
  // The owner unit sees a consented contact as it is; a coordinator only for a stated purpose.
  const asksPurpose = me.roles.includes('coordinator') && report.owner_unit?.unit_id !== me.unit?.unit_id;
  return (
    <section aria-labelledby="contact-title" class="panel">
      <h2 id="contact-title">{words.contact}</h2>
      {report.contact ? (
        <>
          <p class="field__hint">{words.contactNote}</p>
          <dl class="facts" data-testid="contact">
            {report.contact.phone && (<><dt>{words.phone}</dt><dd><a href={`tel:${report.contact.phone}`}>{report.contact.phone}</a></dd></>)}
            {report.contact.email && (<><dt>{words.email}</dt><dd><a href={`mailto:${report.contact.email}`}>{report.contact.email}</a></dd></>)}
          </dl>
        </>
      ) : (
        <p>{words.noContact}</p>
      )}
      {asksPurpose && !report.contact && (
        <form class="inline-form" onSubmit={(event) => {
          event.preventDefault();
          onPurpose(chosen);
        }}>
          <div class="field">
            <label class="field__label" for="contact-purpose">{words.purpose}</label>
            <p class="field__hint" id="contact-purpose-hint">{words.purposeHint}</p>
            <select id="contact-purpose" class="input" aria-describedby="contact-purpose-hint" value={chosen} onChange={(event) => setChosen((event.currentTarget as HTMLSelectElement).value as Purpose)}>
              {PURPOSES.map((value) => (
                <option key={value} value={value}>{words[`purpose_${value}`]}</option>
              ))}
            </select>
          </div>
          <Button type="submit" variant="secondary">{words.showContact}</Button>
        </form>
      )}
    </section>
  );
}

function AuditTrail({ report }: { report: ReportDetail }) {
  const words = useText(reportText);
  const actions = useText(actionText);
  const states = useText(statusText);
  const lang = useLang();
  return (
    <section aria-labelledby="trail-title" class="panel">
      <h2 id="trail-title">{words.trail}</h2>
      <table class="data-table" data-testid="audit-trail">
        <thead>
          <tr>
            <th scope="col">{words.colWhen}</th>
            <th scope="col">{words.colWho}</th>
            <th scope="col">{words.colWhat}</th>
            <th scope="col">{words.colState}</th>
            <th scope="col">{words.colNote}</th>
          </tr>
        </thead>
        <tbody>
          {report.timeline.map((entry, index) => (
            <tr key={`${entry.at}-${index}`}>
              <td><time dateTime={entry.at}>{formatDateTime(entry.at, lang)}</time></td>
              <td>{entry.actor}</td>
              <td>{actionLabel(actions, entry.action)}{entry.public ? ` (${words.publicEntry})` : ''}</td>
              <td>{entry.from_status ? `${statusLabel(states, entry.from_status)} → ` : ''}{statusLabel(states, entry.to_status)}</td>
              <td>{entry.reason ?? ''}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}

export default function ReportScreen({ params, query }: ScreenProps) {
  const words = useText(reportText);
  const states = useText(statusText);
  const lang = useLang();
  const { config } = useConsole();
  const id = params.id ?? '';
  const initialPurpose = PURPOSES.find((value) => value === query.get('purpose')) ?? null;
  const [purpose, setPurpose] = useState<Purpose | null>(initialPurpose);
  const { state, reload, setReport, handedOver } = useReport(id, purpose);
  const [wards, setWards] = useState<FeatureCollection | null>(null);

  useEffect(() => {
    document.title = `${words.title(id)} — Phản ánh`;
    void loadWards().then(setWards);
  }, [id, words]);

  if (state.kind === 'loading') return <p aria-busy="true">{words.loading}</p>;
  if (state.kind === 'handed_over') {
    return (
      <section>
        <h1>{words.title(id)}</h1>
        <p class="notice notice--ok" data-testid="handed-over">{words.handedOver(state.unitName ?? words.coordinators)}</p>
        <p><Link to="/">{words.back}</Link></p>
      </section>
    );
  }
  if (state.kind === 'missing' || state.kind === 'failed') {
    return (
      <section>
        <h1>{words.title(id)}</h1>
        <p class="notice notice--error">{state.kind === 'missing' ? words.notFound : words.failed}</p>
        <p><Link to="/">{words.back}</Link></p>
      </section>
    );
  }
  const report = state.report;
  return (
    <article aria-labelledby="report-title" class="report">
      <p><Link to="/">{words.back}</Link></p>
      <h1 id="report-title">
        {words.title(report.report_id)} <StatusBadge status={report.status} label={statusLabel(states, report.status)} />
        {report.overdue && <> <span class="badge badge--overdue">{words.publiclyOverdue}</span></>}
      </h1>
      <div class="report-grid">
        <div class="report-main">
          <section aria-labelledby="facts-title" class="panel">
            <h2 id="facts-title">{words.facts}</h2>
            <dl class="facts">
              <dt>{words.field}</dt><dd>{pick(report.category.name, lang) || report.category.code}</dd>
              <dt>{words.ward}</dt><dd>{report.ward ? pick(report.ward.name, lang) || report.ward.code : '—'}</dd>
              <dt>{words.address}</dt><dd>{report.address ?? '—'}</dd>
              <dt>{words.owner}</dt><dd>{report.owner_unit ? pick(report.owner_unit.name, lang) : '—'}</dd>
              <dt>{words.assignee}</dt><dd>{report.assignee ? report.assignee.name ?? report.assignee.officer_id : words.unassigned}</dd>
              <dt>{words.filedAt}</dt><dd><time dateTime={report.created_at}>{formatDateTime(report.created_at, lang)}</time></dd>
            </dl>
            <h3>{words.description}</h3>
            <p class="report-description" data-testid="description">{report.description}</p>
            <h3>{words.deadlines}</h3>
            <dl class="facts">
              <dt>{words.acknowledgeBy}</dt><dd>{report.acknowledge_due_at ? <time dateTime={report.acknowledge_due_at}>{formatDateTime(report.acknowledge_due_at, lang)}</time> : '—'}</dd>
              <dt>{words.resolveBy}</dt><dd>{report.resolve_due_at ? <time dateTime={report.resolve_due_at}>{formatDateTime(report.resolve_due_at, lang)}</time> : '—'}</dd>
            </dl>
          </section>
          <section aria-labelledby="photos-title" class="panel">
            <h2 id="photos-title">{words.photos}</h2>
            {report.photos.length ? <PhotoGallery photos={report.photos} alt={words.photoAlt} testId="report-photos" /> : <p>{words.noPhotos}</p>}
          </section>
          {report.result && (
            <section aria-labelledby="result-title" class="panel" data-testid="result">
              <h2 id="result-title">{words.result}</h2>
              <p>{report.result.note}</p>
              <p class="field__hint"><time dateTime={report.result.at}>{formatDateTime(report.result.at, lang)}</time></p>
              {report.result.photos.length > 0 && <PhotoGallery photos={report.result.photos} alt={(n) => words.resultPhotoAlt(n)} testId="result-photos" />}
              <p data-testid="fix-location">
                <span class={`badge badge--${report.result.location_verified ? 'verified' : 'unverified'}`}>
                  {report.result.location_verified ? words.locationVerified : words.locationNotVerified}
                </span>
              </p>
            </section>
          )}
          <section aria-labelledby="place-title" class="panel">
            <h2 id="place-title">{words.place}</h2>
            {report.location ? (
              <>
                {report.location_from_photo && <p>{words.placeFromPhoto}</p>}
                <LeafletMap class="leaflet-map--small" label={words.mapLabel} tileUrl={config.tileUrl} tileAttribution={config.tileAttribution} wards={wards}
                  markers={[{ id: report.report_id, lat: report.location.lat, lon: report.location.lon, label: words.title(report.report_id), urgency: 'ok' }]} />
                <p class="field__hint">{report.location.lat.toFixed(5)}, {report.location.lon.toFixed(5)}</p>
              </>
            ) : (
              <p>{words.noPlace}</p>
            )}
          </section>
          <section aria-labelledby="dups-title" class="panel">
            <h2 id="dups-title">{words.duplicates}</h2>
            <Duplicates report={report} />
          </section>
          <AuditTrail report={report} />
        </div>
        <aside class="report-side">
          <AssigneePicker report={report} onChanged={(updated) => setReport(updated as ReportDetail)} onFailed={() => void reload()} />
          <Actions report={report} onReport={setReport} onHandedOver={handedOver} reload={reload} />
          <QuestionPanel report={report} onReport={setReport} reload={reload} />
          <Contact report={report} purpose={purpose} onPurpose={setPurpose} />
        </aside>
      </div>
    </article>
  );
}
