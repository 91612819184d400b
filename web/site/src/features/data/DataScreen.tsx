import { Fragment } from 'preact';
import { useEffect, useMemo, useState } from 'preact/hooks';
import { formatDateTime, useLang, useText } from '../../../../shared/i18n';
import { Link } from '../../../../shared/router';
import type { ScreenProps } from '../../app/routes';
import { statusText } from '../../app/status';
import { usePageTitle } from '../../app/title';
import { API_REFERENCE, OPEN311_DISCOVERY } from '../../app/Layout';
import { apiQuery, filtersToQuery, parseFilters } from '../explore';
import {
  columnDescription, downloadHref, loadDictionary, loadSnapshots, open311Links, snapshotHref,
  type Dictionary, type SnapshotIndex,
} from './opendata';
import { dataText } from './text';
import './data.css';

/** `/data`: downloads for the map's filters (same query string), the daily snapshots, the data dictionary, Open311. */
export default function DataScreen({ query }: ScreenProps) {
  const words = useText(dataText);
  const statusWords = useText(statusText);
  const lang = useLang();
  usePageTitle(words.title);
  const filters = useMemo(() => parseFilters(query), [query.toString()]);
  const asked = apiQuery(filters, new Date());
  const [snapshots, setSnapshots] = useState<SnapshotIndex | 'failed' | null>(null);
  const [dictionary, setDictionary] = useState<Dictionary | 'failed' | null>(null);

  useEffect(() => {
    loadSnapshots().then(setSnapshots).catch(() => setSnapshots('failed'));
    loadDictionary().then(setDictionary).catch(() => setDictionary('failed'));
  }, []);

  const shown: Array<[string, string]> = [
    ...(filters.category ? [[words.category, filters.category] as [string, string]] : []),
    ...(filters.ward ? [[words.ward, filters.ward] as [string, string]] : []),
    ...(filters.status ? [[words.status, statusWords[filters.status]] as [string, string]] : []),
    ...(asked.from ? [[words.from, asked.from] as [string, string]] : []),
    ...(asked.to ? [[words.to, asked.to] as [string, string]] : []),
    ...(filters.overdue ? [[words.overdue, '✓'] as [string, string]] : []),
  ];
  const mapQuery = filtersToQuery({ ...filters, view: 'map' }).toString();
  const loadedDictionary = dictionary && dictionary !== 'failed' ? dictionary : null;

  return (
    <div class="open-data">
      <h1>{words.title}</h1>
      <p>{words.intro}</p>

      <section aria-labelledby="downloads-title">
        <h2 id="downloads-title">{words.downloads}</h2>
        <h3>{words.currentFilters}</h3>
        {shown.length === 0 ? (
          <p>{words.noFilters}</p>
        ) : (
          <dl class="facts">
            {shown.map(([name, value]) => (
              <Fragment key={name}>
                <dt>{name}</dt>
                <dd>{value}</dd>
              </Fragment>
            ))}
          </dl>
        )}
        <p><Link to={`/${mapQuery ? `?${mapQuery}` : ''}`}>{words.changeFilters}</Link></p>
        <p class="open-data__downloads">
          <a class="btn btn--primary" href={downloadHref('csv', asked)} download data-testid="download-csv">{words.csv}</a>
          <a class="btn btn--primary" href={downloadHref('geojson', asked)} download data-testid="download-geojson">{words.geojson}</a>
        </p>
        <p class="muted">{words.cap}</p>
      </section>

      <section aria-labelledby="snapshots-title">
        <h2 id="snapshots-title">{words.snapshots}</h2>
        <p>{words.snapshotsIntro}</p>
        {snapshots === null && <p aria-busy="true">{words.loading}</p>}
        {snapshots === 'failed' && <p class="notice">{words.snapshotsFailed}</p>}
        {snapshots && snapshots !== 'failed' && (snapshots.days.length === 0 ? (
          <p>{words.noSnapshots}</p>
        ) : (
          <table class="data-table" data-testid="snapshots">
            <thead>
              <tr>
                <th scope="col">{words.day}</th>
                <th scope="col">{words.rows}</th>
                <th scope="col">{words.files}</th>
              </tr>
            </thead>
            <tbody>
              {snapshots.days.map((day) => {
                const csv = snapshotHref(day.csv);
                const geojson = snapshotHref(day.geojson);
                return (
                  <tr key={day.day}>
                    <th scope="row">{day.day}</th>
                    <td>{day.rows}</td>
                    <td class="open-data__files">
                      {csv && <a href={csv} download>CSV<span class="visually-hidden"> {day.day}</span></a>}
                      {geojson && <a href={geojson} download>GeoJSON<span class="visually-hidden"> {day.day}</span></a>}
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        ))}
        {snapshots && snapshots !== 'failed' && snapshots.updated_at && <p class="muted">{formatDateTime(snapshots.updated_at, lang)}</p>}
      </section>

      <section aria-labelledby="dictionary-title">
        <h2 id="dictionary-title">{words.dictionary}</h2>
        {dictionary === null && <p aria-busy="true">{words.loading}</p>}
        {dictionary === 'failed' && <p class="notice notice--error">{words.dictionaryFailed}</p>}
        {loadedDictionary && (
          <>
            <p>{words.schemaVersion(loadedDictionary.schema_version)}</p>
            <div class="table-scroll">
              <table class="data-table" data-testid="dictionary">
                <thead>
                  <tr>
                    <th scope="col">{words.column}</th>
                    <th scope="col">{words.type}</th>
                    <th scope="col">{words.meaning}</th>
                  </tr>
                </thead>
                <tbody>
                  {loadedDictionary.columns.map((column) => (
                    <tr key={column.name}>
                      <th scope="row"><code>{column.name}</code></th>
                      <td>{column.type}</td>
                      <td>{columnDescription(column, lang)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          </>
        )}
      </section>

      <section aria-labelledby="open311-title">
        <h2 id="open311-title">{words.open311}</h2>
        <p>{words.open311Intro}</p>
        <ul>
          <li><a href={OPEN311_DISCOVERY}>{words.discovery}</a></li>
          {open311Links(loadedDictionary?.open311)
            .filter(([, href]) => href !== OPEN311_DISCOVERY)
            .map(([name, href]) => <li key={name}><a href={href}>{name}</a> <code>{href}</code></li>)}
          <li><a href={API_REFERENCE}>{words.apiDocs}</a></li>
        </ul>
      </section>
    </div>
  );
}
