import './queue.css';
import type { FeatureCollection } from 'geojson';
import { useEffect, useMemo, useState } from 'preact/hooks';
import { pick, useLang, useText } from '../../../../shared/i18n';
import { LeafletMap, loadWards, type MapMarker } from '../../../../shared/map';
import { useConsole } from '../../app/context';
import { Link, navigate } from '../../app/router';
import type { ScreenProps } from '../../app/routes';
import { urgencyOf } from './clock';
import { DeadlineClock } from './DeadlineClock';
import { filterQueue } from './filters';
import { FilterBar, useQueueFilters, useWardNames } from './QueueScreen';
import { statusText } from '../../app/status';
import { queueText } from './text';
import { useNow, useQueue } from './useQueue';

/** The same queue and filters on a map: markers coloured by urgency, the ward outlines, and the list for those who do not use the map. */
export default function MapScreen({ query }: ScreenProps) {
  const words = useText(queueText);
  const states = useText(statusText);
  const lang = useLang();
  const { me, config } = useConsole();
  const queue = useQueue();
  const wardNames = useWardNames();
  const [filters, setFilters] = useQueueFilters(query, '/map');
  const [wards, setWards] = useState<FeatureCollection | null>(null);
  const now = useNow(30_000);

  useEffect(() => {
    document.title = `${words.mapTitle} — Phản ánh`;
    void loadWards().then(setWards);
  }, [words]);

  const shown = useMemo(() => filterQueue(queue.items, filters, me.officer_id, now), [queue.items, filters, me.officer_id, now]);
  const placed = shown.filter((item) => item.location);
  const markers: MapMarker[] = useMemo(
    () =>
      placed.map((item) => ({
        id: item.report_id,
        lat: item.location?.lat ?? 0,
        lon: item.location?.lon ?? 0,
        label: `${item.report_id} · ${pick(item.category.name, lang) || item.category.code} · ${states[item.status]}`,
        urgency: urgencyOf(item.due_at, now),
        onSelect: () => navigate(`/reports/${encodeURIComponent(item.report_id)}`),
      })),
    [placed.map((item) => item.report_id).join(), lang, Math.floor(now / 60_000)],
  );

  return (
    <section aria-labelledby="map-title">
      <h1 id="map-title">{words.mapTitle}</h1>
      <div class="queue-tools">
        <FilterBar filters={filters} items={queue.items} wardNames={wardNames} onChange={setFilters} />
      </div>
      <ul class="map-legend" aria-label={words.legend}>
        <li><span class="map-marker map-marker--overdue" aria-hidden="true" />{words.legendOverdue}</li>
        <li><span class="map-marker map-marker--soon" aria-hidden="true" />{words.legendSoon}</li>
        <li><span class="map-marker map-marker--ok" aria-hidden="true" />{words.legendOk}</li>
      </ul>
      <LeafletMap label={words.mapLabel} markers={markers} wards={wards} tileUrl={config.tileUrl} tileAttribution={config.tileAttribution} />
      {shown.length > placed.length && <p class="queue-meta">{words.noLocation(shown.length - placed.length)}</p>}
      <h2>{words.listFallback}</h2>
      {queue.loading ? (
        <p aria-busy="true">{words.loading}</p>
      ) : placed.length === 0 ? (
        <p class="notice">{words.empty}</p>
      ) : (
        <ul class="map-list" data-testid="map-list">
          {placed.map((item) => (
            <li key={item.report_id}>
              <Link to={`/reports/${encodeURIComponent(item.report_id)}`}>{item.report_id}</Link> — {pick(item.category.name, lang) || item.category.code},{' '}
              <DeadlineClock dueAt={item.due_at} kind={item.deadline_kind} words={words} lang={lang} />
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
