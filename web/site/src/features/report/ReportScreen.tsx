import type { FeatureCollection } from 'geojson';
import { useEffect, useState } from 'preact/hooks';
import { ApiError, unwrap, type ResponseOf } from '../../../../shared/api';
import { formatDateTime, pick, useLang, useText } from '../../../../shared/i18n';
import { Link } from '../../../../shared/router';
import { BeforeAfter, StatusBadge } from '../../../../shared/ui';
import { useSite } from '../../app/context';
import type { ScreenProps } from '../../app/routes';
import { usePageTitle } from '../../app/title';
import { AwaitingInformation } from './AwaitingInformation';
import { deadlinesOf, outcome } from './deadlines';
import { reportText } from './text';
import './report.css';

type PublicReport = ResponseOf<'/public/reports/{report_id}', 'get'>;

type MapComponent = (typeof import('../../../../shared/map'))['LeafletMap'];

/** The place on a small map; Leaflet is fetched only for a report that has a place. */
function PlaceMap({ label, lat, lon }: { label: string; lat: number; lon: number }) {
  const { config } = useSite();
  const [LeafletMap, setLeafletMap] = useState<MapComponent | null>(null);
  const [wards, setWards] = useState<FeatureCollection | null>(null);
  useEffect(() => {
    import('../../../../shared/map')
      .then((module) => {
        setLeafletMap(() => module.LeafletMap);
        return module.loadWards().then(setWards);
      })
      .catch(() => undefined);
  }, []);
  if (!LeafletMap) return <div class="leaflet-map leaflet-map--small" aria-busy="true" />;
  return (
    <LeafletMap
      label={label}
      class="leaflet-map--small"
      tileUrl={config.tileUrl}
      tileAttribution={config.tileAttribution}
      markers={[{ id: 'here', lat, lon, label, urgency: 'ok' }]}
      wards={wards}
      zoom={16}
    />
  );
}

/** `/report/<id>`: a published report, everything the public may see of it. */
export default function ReportScreen({ params }: ScreenProps) {
  const words = useText(reportText);
  const lang = useLang();
  const { api } = useSite();
  const id = params.id ?? '';
  const [report, setReport] = useState<PublicReport | 'missing' | 'failed' | null>(null);
  usePageTitle(report && typeof report === 'object' ? `${pick(report.category.name, lang) || report.category.code} · ${report.report_id}` : id);

  useEffect(() => {
    setReport(null);
    api
      .GET('/public/reports/{report_id}', { params: { path: { report_id: id } } })
      .then((answer) => setReport(unwrap(answer)))
      .catch((error: unknown) => setReport(error instanceof ApiError && (error.status === 404 || error.status === 400) ? 'missing' : 'failed'));
  }, [api, id]);

  if (report === null) return <p aria-busy="true">{words.loading}</p>;
  if (report === 'missing' || report === 'failed') {
    return (
      <>
        <h1>{id}</h1>
        <p class="notice notice--error">{report === 'missing' ? words.notFound : words.failed}</p>
        <Link to="/">{words.back}</Link>
      </>
    );
  }
  const deadlines = deadlinesOf(report);
  const category = pick(report.category.name, lang) || report.category.code;
  return (
    <article class="report-page">
      <p><Link to="/">{words.back}</Link></p>
      <h1>{category} · {report.report_id}</h1>
      <p class="report-page__status">
        <StatusBadge status={report.status} label={pick(report.status_label, lang)} />
        {report.overdue && <StatusBadge status="overdue" label={words.overdue} />}
      </p>
      {report.overdue && <p class="notice notice--error">{words.overdueNote}</p>}
      {report.awaiting_information && <AwaitingInformation awaiting={report.awaiting_information} />}
      <p class="report-page__description">{report.description}</p>

      <BeforeAfter before={report.photos} result={report.result ?? null} />

      <div class="report-page__columns">
        <section aria-labelledby="facts-title">
          <h2 id="facts-title">{words.facts}</h2>
          <dl class="facts">
            <dt>{words.field}</dt>
            <dd>{category}</dd>
            <dt>{words.owner}</dt>
            <dd data-testid="owner-unit">{report.owner_unit ? pick(report.owner_unit.name, lang) : words.noOwner}</dd>
            <dt>{words.ward}</dt>
            <dd>{report.ward ? pick(report.ward.name, lang) || report.ward.code : '—'}</dd>
            {report.address && (
              <>
                <dt>{words.address}</dt>
                <dd>{report.address}</dd>
              </>
            )}
            {report.published_at && (
              <>
                <dt>{words.published}</dt>
                <dd>{formatDateTime(report.published_at, lang)}</dd>
              </>
            )}
          </dl>
        </section>
        <section aria-labelledby="place-title">
          <h2 id="place-title">{words.place}</h2>
          {report.location ? (
            <>
              <PlaceMap label={words.mapLabel} lat={report.location.lat} lon={report.location.lon} />
              {report.location_rounded_to_m && <p>{words.rounded(report.location_rounded_to_m)}</p>}
            </>
          ) : (
            <p>{words.noPlace}</p>
          )}
        </section>
      </div>

      <section aria-labelledby="deadlines-title">
        <h2 id="deadlines-title">{words.deadlines}</h2>
        <table class="data-table" data-testid="deadlines">
          <thead>
            <tr>
              <th scope="col">{words.deadline}</th>
              <th scope="col">{words.due}</th>
              <th scope="col">{words.done}</th>
              <th scope="col">{words.met}</th>
            </tr>
          </thead>
          <tbody>
            {(['acknowledge', 'resolve'] as const).map((name) => {
              const step = deadlines[name];
              const result = outcome(step, words);
              return (
                <tr key={name}>
                  <th scope="row">{words[name]}</th>
                  <td>{formatDateTime(step.due_at, lang) || words.notDone}</td>
                  <td>{formatDateTime(step.done_at, lang) || words.notDone}</td>
                  <td><span class={`outcome outcome--${result.kind}`}>{result.text}</span></td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </section>

      {report.result && (
        <section aria-labelledby="result-title">
          <h2 id="result-title">{words.result}</h2>
          <p>{report.result.note}</p>
          <p class="muted">{formatDateTime(report.result.at, lang)}</p>
        </section>
      )}

      <section aria-labelledby="timeline-title">
        <h2 id="timeline-title">{words.timeline}</h2>
        <ol class="timeline" data-testid="timeline">
          {report.timeline.map((entry, index) => (
            <li key={`${entry.at}-${index}`}>
              <time dateTime={entry.at}>{formatDateTime(entry.at, lang)}</time>
              <strong>{pick(entry.label, lang)}</strong>
              {entry.note && (
                <p class="timeline__note">
                  <span class="visually-hidden">{words.officerNote}: </span>
                  {entry.note}
                </p>
              )}
            </li>
          ))}
        </ol>
      </section>

      <section aria-labelledby="rating-title">
        <h2 id="rating-title">{words.rating}</h2>
        {report.rating ? (
          <div data-testid="rating">
            <p class="rating">
              <span aria-hidden="true">{'★'.repeat(report.rating.score)}{'☆'.repeat(5 - report.rating.score)}</span> {words.score(report.rating.score)}
            </p>
            <p>{report.rating.fixed ? words.fixed : words.notFixed}</p>
            {report.rating.comment_hidden ? <p class="muted">{words.commentHidden}</p> : report.rating.comment && <blockquote>{report.rating.comment}</blockquote>}
          </div>
        ) : (
          <p>{words.noRating}</p>
        )}
      </section>
    </article>
  );
}
