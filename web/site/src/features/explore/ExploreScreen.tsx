import type { FeatureCollection } from 'geojson';
import type { ComponentType } from 'preact';
import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { unwrap, type ApiClient } from '../../../../shared/api';
import { formatDateTime, pick, sortByName, useLang, useText, type Lang } from '../../../../shared/i18n';
import { loadWards } from '../../../../shared/map/wards';
import { Link, navigate } from '../../../../shared/router';
import { announce, StatusBadge } from '../../../../shared/ui';
import { useSite } from '../../app/context';
import type { ScreenProps } from '../../app/routes';
import { PUBLIC_STATUSES, statusLabel, statusText, type PublicStatus } from '../../app/status';
import { usePageTitle } from '../../app/title';
import { apiQuery, filtersToQuery, NO_FILTERS, parseFilters, PERIODS, type Filters } from './filters';
import type { MapPanelProps } from './MapPanel';
import { markerClass, STATUS_SYMBOL } from './markers';
import { loadPoints, withinBounds, type Bounds, type OpenDataResult, type ReportPoint } from './points';
import { exploreText } from './text';
import './explore.css';

// A phone's first screenful and a little more; the rest one tap away.
const PAGE = 20;
// One empty list for every render without data: the map redraws only when the points really change.
const NO_POINTS: ReportPoint[] = [];

type Names = { categories: Map<string, string>; wards: Map<string, string> };
type Category = { code: string; name: { vi: string; en: string } };
/** What names the codes: the ward outlines (also the map's) and the fields. */
type Lookups = { wards: FeatureCollection | null; categories: Category[] };
const NO_LOOKUPS: Lookups = { wards: null, categories: [] };

/** Both at once; either missing leaves its codes unnamed rather than the page empty. */
function loadLookups(api: ApiClient): Promise<Lookups> {
  const categories = api
    .GET('/categories')
    .then((answer): Category[] => unwrap(answer).categories)
    .catch((): Category[] => []);
  return Promise.all([loadWards(), categories]).then(([wards, loaded]) => ({ wards, categories: loaded }));
}

function wardNames(wards: FeatureCollection | null, lang: Lang): Map<string, string> {
  const names = new Map<string, string>();
  for (const feature of wards?.features ?? []) {
    const props = (feature.properties ?? {}) as { code?: string; name?: string; nameEn?: string };
    if (props.code) names.set(props.code, (lang === 'en' ? props.nameEn : props.name) || props.name || props.code);
  }
  return names;
}

/** The filters as a form; every change is a navigation, so the URL always says what is shown. */
function FilterForm({ filters, names }: { filters: Filters; names: Names }) {
  const words = useText(exploreText);
  const statusWords = useText(statusText);
  const apply = (form: HTMLFormElement) => {
    const data = new FormData(form);
    const value = (name: string) => String(data.get(name) ?? '') || null;
    const period = value('period');
    const next = parseFilters(
      filtersToQuery({
        ...filters,
        category: value('category'),
        ward: value('ward'),
        status: value('status') as PublicStatus | null,
        period: period === 'all' ? null : (period as Filters['period']),
        from: value('from'),
        to: value('to'),
        overdue: data.get('overdue') === 'true',
      }),
    );
    navigate(`/?${filtersToQuery(next)}`);
  };
  // Sorted once per list of names, not on every render (the map's moves re-render the page).
  const categoryOptions = useMemo(() => sortByName([...names.categories], ([, name]) => name), [names.categories]);
  const wardOptions = useMemo(() => sortByName([...names.wards], ([, name]) => name), [names.wards]);
  return (
    <form
      class="explore-filters"
      aria-label={words.filters}
      onChange={(event) => apply(event.currentTarget)}
      onSubmit={(event) => {
        event.preventDefault();
        apply(event.currentTarget);
      }}
    >
      <div class="field">
        <label class="field__label" for="filter-category">{words.category}</label>
        <select id="filter-category" name="category" class="input" value={filters.category ?? ''}>
          <option value="">{words.any}</option>
          {categoryOptions.map(([code, name]) => <option key={code} value={code}>{name}</option>)}
        </select>
      </div>
      <div class="field">
        <label class="field__label" for="filter-ward">{words.ward}</label>
        <select id="filter-ward" name="ward" class="input" value={filters.ward ?? ''}>
          <option value="">{words.any}</option>
          {wardOptions.map(([code, name]) => <option key={code} value={code}>{name}</option>)}
        </select>
      </div>
      <div class="field">
        <label class="field__label" for="filter-status">{words.status}</label>
        <select id="filter-status" name="status" class="input" value={filters.status ?? ''}>
          <option value="">{words.any}</option>
          {PUBLIC_STATUSES.map((status) => <option key={status} value={status}>{statusWords[status]}</option>)}
        </select>
      </div>
      <div class="field">
        <label class="field__label" for="filter-period">{words.period}</label>
        <select id="filter-period" name="period" class="input" value={filters.period ?? 'all'} disabled={Boolean(filters.from || filters.to)}>
          <option value="all">{words.allTime}</option>
          {PERIODS.map((days) => <option key={days} value={days}>{words.lastDays(Number(days))}</option>)}
        </select>
      </div>
      <div class="field">
        <label class="field__label" for="filter-from">{words.from}</label>
        <input id="filter-from" name="from" type="date" class="input" value={filters.from ?? ''} />
      </div>
      <div class="field">
        <label class="field__label" for="filter-to">{words.to}</label>
        <input id="filter-to" name="to" type="date" class="input" value={filters.to ?? ''} />
      </div>
      <div class="field explore-filters__check">
        <input id="filter-overdue" name="overdue" type="checkbox" value="true" checked={filters.overdue} />
        <label for="filter-overdue">{words.overdue}</label>
      </div>
      <div class="explore-filters__actions">
        <button type="submit" class="btn btn--primary">{words.apply}</button>
        <Link to={`/?${filtersToQuery({ ...NO_FILTERS, view: filters.view })}`} class="btn btn--secondary">{words.reset}</Link>
      </div>
    </form>
  );
}

function Legend() {
  const words = useText(exploreText);
  const statusWords = useText(statusText);
  return (
    <section class="explore-legend" aria-labelledby="legend-title">
      <h2 id="legend-title" class="explore-legend__title">{words.legend}</h2>
      <ul>
        {PUBLIC_STATUSES.map((status) => (
          <li key={status}>
            <span class={markerClass(status, false)} aria-hidden="true">{STATUS_SYMBOL[status]}</span> {statusWords[status]}
          </li>
        ))}
        <li>
          <span class={markerClass('IN_PROGRESS', true)} aria-hidden="true">{STATUS_SYMBOL.IN_PROGRESS}</span> {words.overdueMark}
        </li>
      </ul>
    </section>
  );
}

/**
 * Leaflet and the clustering arrive only with the map view, and only once the map is about to be
 * seen: on a phone it sits below the filters, and a cheap phone should not pay for it before then.
 */
function LazyMap(props: MapPanelProps) {
  const words = useText(exploreText);
  const holder = useRef<HTMLDivElement>(null);
  const [near, setNear] = useState(false);
  const [Panel, setPanel] = useState<ComponentType<MapPanelProps> | 'failed' | null>(null);
  useEffect(() => {
    const element = holder.current;
    if (!element || typeof IntersectionObserver === 'undefined') {
      setNear(true);
      return;
    }
    const observer = new IntersectionObserver(
      (entries) => {
        if (!entries.some((entry) => entry.isIntersecting)) return;
        setNear(true);
        observer.disconnect();
      },
      { rootMargin: '0px' },
    );
    observer.observe(element);
    return () => observer.disconnect();
  }, []);
  useEffect(() => {
    if (!near) return;
    import('./MapPanel').then((module) => setPanel(() => module.MapPanel)).catch(() => setPanel('failed'));
  }, [near]);
  if (Panel === 'failed') return <p class="notice notice--error">{words.mapFailed}</p>;
  if (!Panel) return <div ref={holder} class="explore-map explore-map--loading" aria-busy={near ? 'true' : 'false'} />;
  return <Panel {...props} />;
}

function ReportItem({ point, names, lang }: { point: ReportPoint; names: Names; lang: Lang }) {
  const words = useText(exploreText);
  const statusWords = useText(statusText);
  return (
    <li class="report-item" data-report-id={point.id}>
      <Link to={`/report/${encodeURIComponent(point.id)}`} class="report-item__title">
        {names.categories.get(point.category) ?? point.category} · {point.id}
      </Link>
      <div class="report-item__meta">
        <StatusBadge status={point.status} label={statusLabel(statusWords, point.status)} />
        {point.overdue && <StatusBadge status="overdue" label={words.overdueMark} />}
        <span>{point.ward ? (names.wards.get(point.ward) ?? point.ward) : ''}</span>
        {point.filedAt && <span>{words.filed} {formatDateTime(point.filedAt, lang)}</span>}
        {point.lat === null && <span>({words.noPlace})</span>}
      </div>
      {point.description && <p class="report-item__text">{point.description}</p>}
    </li>
  );
}

/** `/`: the published reports on a clustered map and in a list in step with it, filtered by the URL. */
export default function ExploreScreen({ query }: ScreenProps) {
  const words = useText(exploreText);
  const statusWords = useText(statusText);
  const lang = useLang();
  const { api, config } = useSite();
  usePageTitle(words.title);
  const filters = useMemo(() => parseFilters(query), [query.toString()]);
  const fetchKey = JSON.stringify(apiQuery(filters, new Date()));
  const [result, setResult] = useState<OpenDataResult | 'failed' | null>(null);
  const [lookups, setLookups] = useState<Lookups>(NO_LOOKUPS);
  const [bounds, setBounds] = useState<Bounds | null>(null);
  const [onlyInView, setOnlyInView] = useState(true);
  const [shown, setShown] = useState(PAGE);
  const firstLoad = useRef(true);
  // The names and the points arrive in one render, not one each: on a cheap phone each render of
  // the whole page (its form, its list) is a long task of its own.
  const lookupsLoaded = useMemo(() => loadLookups(api), [api]);

  useEffect(() => {
    const abort = new AbortController();
    setResult(null);
    setShown(PAGE);
    Promise.all([loadPoints(JSON.parse(fetchKey) as Record<string, string>, abort.signal), lookupsLoaded])
      .then(([loaded, names]) => {
        setLookups(names);
        setResult(loaded);
        if (!firstLoad.current) announce(words.updated(loaded.points.length));
        firstLoad.current = false;
      })
      .catch((error: unknown) => {
        if (!(error instanceof DOMException && error.name === 'AbortError')) setResult('failed');
      });
    return () => abort.abort();
  }, [fetchKey]);

  const { wards, categories } = lookups;
  const names: Names = useMemo(
    () => ({ categories: new Map(categories.map((category) => [category.code, pick(category.name, lang)])), wards: wardNames(wards, lang) }),
    [categories, wards, lang],
  );
  const points = result && result !== 'failed' ? result.points : NO_POINTS;
  const mapView = filters.view === 'map';
  const listed = useMemo(
    () => (mapView && onlyInView && bounds ? withinBounds(points, bounds) : points),
    [points, bounds, mapView, onlyInView],
  );
  // The same items are the same elements: a render for anything else does not redo the list.
  const items = useMemo(
    () => listed.slice(0, shown).map((point) => <ReportItem key={point.id} point={point} names={names} lang={lang} />),
    [listed, shown, names, lang],
  );
  const viewLink = (view: Filters['view']) => `/?${filtersToQuery({ ...filters, view })}`;

  return (
    <div class="explore">
      <h1>{words.title}</h1>
      <p>{words.intro}</p>
      <FilterForm filters={filters} names={names} />
      <nav class="explore-views" aria-label={words.viewLabel}>
        <Link to={viewLink('map')} aria-current={mapView ? 'page' : undefined}>{words.viewMap}</Link>
        <Link to={viewLink('list')} aria-current={mapView ? undefined : 'page'}>{words.viewList}</Link>
        <Link to={`/data?${filtersToQuery({ ...filters, view: 'map' })}`}>{words.download}</Link>
      </nav>
      {result === 'failed' && <p class="notice notice--error" role="alert">{words.failed}</p>}
      {result && result !== 'failed' && result.truncated && <p class="notice">{words.truncated}</p>}
      {mapView && (
        <div class="explore-map-area">
          <a class="explore-skip" href="#report-list">{words.skipMap}</a>
          <LazyMap
            label={words.mapLabel}
            points={points}
            wards={wards}
            tileUrl={config.tileUrl}
            tileAttribution={config.tileAttribution}
            onBounds={setBounds}
            statusName={(status) => statusWords[status]}
            overdueName={words.overdueMark}
            total={words.reports}
            categoryName={(code) => names.categories.get(code) ?? code}
          />
          <Legend />
        </div>
      )}
      <section id="report-list" class="explore-list" tabIndex={-1} aria-labelledby="report-list-title">
        <h2 id="report-list-title">{words.list}</h2>
        {mapView && (
          <div class="explore-filters__check">
            <input id="only-in-view" type="checkbox" checked={onlyInView} onChange={(event) => setOnlyInView(event.currentTarget.checked)} />
            <label for="only-in-view">{words.onlyInView}</label>
          </div>
        )}
        {!result && <p aria-busy="true">…</p>}
        {result && result !== 'failed' && (
          <>
            <p data-testid="report-count">{words.count(listed.length, points.length)}</p>
            {listed.length === 0 ? (
              <p>{words.none}</p>
            ) : (
              <ul class="report-list">
                {items}
              </ul>
            )}
            {listed.length > shown && (
              <button type="button" class="btn btn--secondary" onClick={() => setShown(shown + PAGE)}>{words.more}</button>
            )}
          </>
        )}
      </section>
    </div>
  );
}
