import type { ComponentType } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { useLang, useText, type Lang } from '../../../../shared/i18n';
import { Link, navigate } from '../../../../shared/router';
import type { ScreenProps } from '../../app/routes';
import { usePageTitle } from '../../app/title';
import {
  duration, inLeagueOrder, intervalBar, intervalText, LEAGUE_PERIODS, leaguePeriod, loadLeague, loadTrends,
  nameOf, percent, satisfaction, type League, type LeagueRow, type Trends,
} from './league';
import type { TrendChartProps } from './TrendChart';
import { leagueText } from './text';
import './league.css';

type Words = (typeof leagueText)['vi'];

/** The on-time share's interval as a small bar (0–100): the interval's span and the point in it. */
function IntervalBar({ row }: { row: LeagueRow }) {
  const bar = intervalBar(row.on_time_pct, row.on_time_ci95);
  if (!bar) return null;
  return (
    <svg class="ci-bar" viewBox="0 0 100 10" preserveAspectRatio="none" aria-hidden="true" focusable="false">
      <rect class="ci-bar__track" x="0" y="3" width="100" height="4" />
      <rect class="ci-bar__range" x={bar.low} y="1" width={Math.max(bar.width, 0.5)} height="8" />
      {bar.point !== null && <rect class="ci-bar__point" x={Math.max(0, bar.point - 0.75)} y="0" width="1.5" height="10" />}
    </svg>
  );
}

function LeagueTable({ rows, kind, words, lang, testId }: { rows: LeagueRow[]; kind: 'unit' | 'field'; words: Words; lang: Lang; testId: string }) {
  if (rows.length === 0) return <p>{words.empty}</p>;
  return (
    <div class="table-scroll">
      <table class="data-table league-table" data-testid={testId}>
        <thead>
          <tr>
            <th scope="col">{words.rank}</th>
            <th scope="col">{kind === 'unit' ? words.unit : words.field}</th>
            <th scope="col">{words.received}</th>
            <th scope="col">{words.resolved}</th>
            <th scope="col">{words.onTime}</th>
            <th scope="col">{words.median}</th>
            <th scope="col">{words.satisfaction}</th>
            <th scope="col">{words.reopen}</th>
            <th scope="col">{words.confirmed}</th>
          </tr>
        </thead>
        <tbody>
          {inLeagueOrder(rows).map((row) => {
            const key = row.unit_id ?? row.category ?? '';
            return (
              <tr key={key} class={row.ranked ? 'league-row' : 'league-row league-row--unranked'} data-ranked={String(row.ranked)} data-key={key}>
                <td>{row.ranked ? row.rank : '—'}</td>
                <th scope="row">
                  {nameOf(row.name, lang, key)}
                  {!row.ranked && <span class="league-row__unranked">{words.unranked}</span>}
                </th>
                <td>{row.received}</td>
                <td>{row.resolved}</td>
                <td class="league-table__ontime">
                  <strong>{percent(row.on_time_pct, lang)}</strong>
                  <span class="league-table__ci">{intervalText(row.on_time_ci95, lang)}</span>
                  <IntervalBar row={row} />
                </td>
                <td>{duration(row.median_hours_to_resolve, lang)}</td>
                <td>{satisfaction(row.satisfaction, lang)}</td>
                <td>{percent(row.reopen_rate_pct, lang)}</td>
                <td data-testid="confirmed-fixes">
                  {percent(row.confirmed_fix_pct, lang)}
                  <span class="league-table__ci">{words.confirmedCount(row.confirmed_fixes.toLocaleString(lang))}</span>
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}

/** Chart.js arrives in its own chunk, only with this section. */
function LazyChart(props: TrendChartProps) {
  const words = useText(leagueText);
  const [Chart, setChart] = useState<ComponentType<TrendChartProps> | 'failed' | null>(null);
  useEffect(() => {
    import('./TrendChart').then((module) => setChart(() => module.TrendChart)).catch(() => setChart('failed'));
  }, []);
  if (Chart === 'failed') return <p class="notice">{words.chartFailed}</p>;
  if (!Chart) return <div class="trend-chart" aria-busy="true" />;
  return <Chart {...props} />;
}

function TrendsSection({ league, words, lang }: { league: League | null; words: Words; lang: Lang }) {
  const [scope, setScope] = useState('');
  const [trends, setTrends] = useState<Trends | 'failed' | null>(null);
  useEffect(() => {
    setTrends(null);
    const [kind, code] = scope.split(':');
    loadTrends(kind === 'unit' ? { unit: code } : kind === 'field' ? { category: code } : {})
      .then(setTrends)
      .catch(() => setTrends('failed'));
  }, [scope]);
  const scopeName = (() => {
    const [kind, code] = scope.split(':');
    const rows = kind === 'unit' ? league?.units : kind === 'field' ? league?.fields : null;
    const row = rows?.find((each) => (each.unit_id ?? each.category) === code);
    return row ? nameOf(row.name, lang, code ?? '') : words.province;
  })();
  return (
    <section aria-labelledby="trends-title">
      <h2 id="trends-title">{words.trends}</h2>
      <div class="field">
        <label class="field__label" for="trend-scope">{words.scope}</label>
        <select id="trend-scope" class="input" value={scope} onChange={(event) => setScope(event.currentTarget.value)}>
          <option value="">{words.province}</option>
          <optgroup label={words.units}>
            {(league?.units ?? []).map((row) => <option key={row.unit_id} value={`unit:${row.unit_id}`}>{nameOf(row.name, lang, row.unit_id ?? '')}</option>)}
          </optgroup>
          <optgroup label={words.fields}>
            {(league?.fields ?? []).map((row) => <option key={row.category} value={`field:${row.category}`}>{nameOf(row.name, lang, row.category ?? '')}</option>)}
          </optgroup>
        </select>
      </div>
      {trends === 'failed' && <p class="notice notice--error">{words.trendsFailed}</p>}
      {!trends && <p aria-busy="true">{words.loading}</p>}
      {trends && trends !== 'failed' && (
        <>
          <LazyChart months={trends.months} label={words.chartLabel(scopeName)} lang={lang} />
          <details class="trend-table">
            <summary>{words.chartTable}</summary>
            <table class="data-table" data-testid="trend-table">
              <thead>
                <tr>
                  <th scope="col">{words.month}</th>
                  <th scope="col">{words.received}</th>
                  <th scope="col">{words.resolved}</th>
                  <th scope="col">{words.onTimePct}</th>
                  <th scope="col">{words.satisfactionAverage}</th>
                  <th scope="col">{words.ratings}</th>
                </tr>
              </thead>
              <tbody>
                {trends.months.map((month) => (
                  <tr key={month.month}>
                    <th scope="row">{month.month}</th>
                    <td>{month.received}</td>
                    <td>{month.resolved}</td>
                    <td>{percent(month.on_time_pct, lang)}</td>
                    <td>{month.satisfaction_average === null ? '—' : month.satisfaction_average.toFixed(1)}</td>
                    <td>{month.rating_count}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </details>
        </>
      )}
    </section>
  );
}

/** `/league`: the league tables per unit and per field for a period, and the 12-month trends. */
export default function LeagueScreen({ query }: ScreenProps) {
  const words = useText(leagueText);
  const lang = useLang();
  usePageTitle(words.title);
  const period = leaguePeriod(query.get('period'));
  const [league, setLeague] = useState<League | 'failed' | null>(null);

  useEffect(() => {
    setLeague(null);
    loadLeague(period).then(setLeague).catch(() => setLeague('failed'));
  }, [period]);

  const loaded = league && league !== 'failed' ? league : null;
  return (
    <div class="league">
      <h1>{words.title}</h1>
      {loaded && <p>{words.intro(loaded.min_resolved)}</p>}
      <p><Link to="/league/method">{words.methodLink}</Link></p>
      <div class="field">
        <label class="field__label" for="league-period">{words.period}</label>
        <select id="league-period" class="input" value={period} onChange={(event) => navigate(`/league?period=${event.currentTarget.value}`)}>
          {LEAGUE_PERIODS.map((days) => <option key={days} value={days}>{words.lastDays(Number(days))}</option>)}
        </select>
      </div>
      {loaded && <p class="muted">{words.range(loaded.from, loaded.to)}</p>}
      {league === 'failed' && <p class="notice notice--error">{words.failed}</p>}
      {!league && <p aria-busy="true">{words.loading}</p>}
      {loaded && (
        <>
          <section aria-labelledby="units-title">
            <h2 id="units-title">{words.units}</h2>
            <LeagueTable rows={loaded.units} kind="unit" words={words} lang={lang} testId="league-units" />
          </section>
          <section aria-labelledby="fields-title">
            <h2 id="fields-title">{words.fields}</h2>
            <LeagueTable rows={loaded.fields} kind="field" words={words} lang={lang} testId="league-fields" />
          </section>
        </>
      )}
      <TrendsSection league={loaded} words={words} lang={lang} />
    </div>
  );
}
