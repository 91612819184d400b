import { useEffect, useMemo, useState } from 'preact/hooks';
import { unwrap, type ApiError, type ResponseOf } from '../../../../shared/api';
import { pick, useLang, useText, type Lang } from '../../../../shared/i18n';
import { Field } from '../../../../shared/ui';
import { useConsole } from '../../app/context';
import { navigate } from '../../app/router';
import type { ScreenProps } from '../../app/routes';
import { ChartCanvas } from './ChartCanvas';
import { SERIES, type ChartConfiguration } from './charts';
import { ExportForm } from './ExportForm';
import { backlogRanking, dailyTrend, percentText, type Trend, type UnitBacklog } from './figures';
import { dashboardText } from './text';
import './dashboard.css';

type Dashboard = ResponseOf<'/coordinator/dashboard', 'get'>;
type Words = (typeof dashboardText)['vi'];

const PERIODS = [30, 90, 180, 365];
const DEFAULT_DAYS = 90;

/** /console/dashboard: volumes, the on-time share, backlog by unit and the daily trend over a
 * period (90 days unless ?days=), the public scorecards' figures, and the CSV export. */
export default function DashboardScreen({ query }: ScreenProps) {
  const { api } = useConsole();
  const words = useText(dashboardText);
  const lang = useLang();
  const asked = Number(query.get('days'));
  const days = PERIODS.includes(asked) ? asked : DEFAULT_DAYS;
  const [dashboard, setDashboard] = useState<Dashboard | null>(null);
  const [failure, setFailure] = useState<string | null>(null);

  useEffect(() => {
    let live = true;
    setDashboard(null);
    setFailure(null);
    api
      .GET('/coordinator/dashboard', { params: { query: { days } } })
      .then((result) => live && setDashboard(unwrap(result)))
      .catch((error: ApiError) => live && setFailure(pick(error.text, lang)));
    return () => {
      live = false;
    };
  }, [days]);

  return (
    <section aria-labelledby="dashboard-title" class="dashboard">
      <h1 id="dashboard-title">{words.title}</h1>
      <div class="period-picker">
        <Field label={words.period}>
          {(control) => (
            <select class="input" name="days" {...control} value={String(days)}
              onChange={(event) => navigate(`/dashboard?days=${event.currentTarget.value}`)}>
              {PERIODS.map((period) => <option key={period} value={String(period)}>{words.days(period)}</option>)}
            </select>
          )}
        </Field>
      </div>
      {failure && <p class="notice notice--error" role="alert">{failure}</p>}
      {!failure && !dashboard && <p aria-busy="true">{words.loading}</p>}
      {dashboard && <Figures dashboard={dashboard} words={words} lang={lang} />}
      <ExportForm />
    </section>
  );
}

function Figures({ dashboard, words, lang }: { dashboard: Dashboard; words: Words; lang: Lang }) {
  const trend = useMemo(() => dailyTrend(dashboard.daily, dashboard.from, dashboard.to), [dashboard]);
  const backlog = useMemo(() => backlogRanking(dashboard.backlog), [dashboard]);
  const { totals } = dashboard;
  return (
    <>
      <p>{words.range(dashboard.from, dashboard.to)}</p>
      <section aria-labelledby="totals-title">
        <h2 id="totals-title">{words.totals}</h2>
        <dl class="totals" data-testid="totals">
          <div><dt>{words.submitted}</dt><dd>{totals.submitted}</dd></div>
          <div><dt>{words.resolved}</dt><dd>{totals.resolved}</dd></div>
          <div><dt>{words.open}</dt><dd>{totals.open}</dd></div>
          <div><dt>{words.overdue}</dt><dd>{totals.overdue}</dd></div>
          <div><dt>{words.onTime}</dt><dd>{percentText(totals.on_time_pct, lang) ?? words.noneYet}</dd></div>
        </dl>
      </section>
      <TrendSection trend={trend} days={dashboard.days ?? trend.labels.length} totals={totals} words={words} lang={lang} />
      <BacklogSection backlog={backlog} words={words} lang={lang} />
      <ScorecardsSection scorecards={dashboard.scorecards} words={words} lang={lang} />
    </>
  );
}

interface TrendProps {
  trend: Trend;
  days: number;
  totals: Dashboard['totals'];
  words: Words;
  lang: Lang;
}

function TrendSection({ trend, days, totals, words, lang }: TrendProps) {
  const config = useMemo<ChartConfiguration>(() => ({
    type: 'line',
    data: {
      labels: trend.labels,
      datasets: [
        { label: words.submitted, data: trend.submitted, borderColor: SERIES.first.color, backgroundColor: SERIES.first.color,
          borderDash: SERIES.first.dash, pointStyle: SERIES.first.point, pointRadius: 2, tension: 0.2 },
        { label: words.resolved, data: trend.resolved, borderColor: SERIES.second.color, backgroundColor: SERIES.second.color,
          borderDash: SERIES.second.dash, pointStyle: SERIES.second.point, pointRadius: 2, tension: 0.2 },
      ],
    },
    options: { animation: false, maintainAspectRatio: false, scales: { y: { beginAtZero: true, ticks: { precision: 0 } } },
      plugins: { legend: { labels: { usePointStyle: true } } } },
  }), [trend, lang]);
  return (
    <section aria-labelledby="trend-title">
      <h2 id="trend-title">{words.trendTitle}</h2>
      <ChartCanvas config={config} label={words.trendLabel(days, totals.submitted, totals.resolved)} testId="trend-chart" />
      <details>
        <summary>{words.asTable}</summary>
        <table class="figures-table" data-testid="trend-table">
          <caption class="visually-hidden">{words.trendTitle}</caption>
          <thead>
            <tr><th scope="col">{words.date}</th><th scope="col" class="number">{words.submitted}</th><th scope="col" class="number">{words.resolved}</th></tr>
          </thead>
          <tbody>
            {trend.labels.map((date, index) => (
              <tr key={date}><th scope="row">{date}</th><td class="number">{trend.submitted[index]}</td><td class="number">{trend.resolved[index]}</td></tr>
            ))}
          </tbody>
        </table>
      </details>
    </section>
  );
}

function BacklogSection({ backlog, words, lang }: { backlog: UnitBacklog[]; words: Words; lang: Lang }) {
  const name = (unit: UnitBacklog) => pick(unit.name, lang) || unit.unit_id;
  const config = useMemo<ChartConfiguration>(() => ({
    type: 'bar',
    data: {
      labels: backlog.map(name),
      datasets: [
        { label: words.open, data: backlog.map((unit) => unit.open), backgroundColor: SERIES.first.color },
        { label: words.overdue, data: backlog.map((unit) => unit.overdue), backgroundColor: SERIES.second.color },
      ],
    },
    options: { animation: false, maintainAspectRatio: false, indexAxis: 'y', scales: { x: { beginAtZero: true, ticks: { precision: 0 } } } },
  }), [backlog, lang]);
  return (
    <section aria-labelledby="backlog-title">
      <h2 id="backlog-title">{words.backlogTitle}</h2>
      {backlog.length === 0 ? <p>{words.noBacklog}</p> : (
        <>
          <ChartCanvas config={config} label={words.backlogLabel(backlog.length)} testId="backlog-chart" />
          <details>
            <summary>{words.asTable}</summary>
            <table class="figures-table" data-testid="backlog-table">
              <caption class="visually-hidden">{words.backlogTitle}</caption>
              <thead>
                <tr><th scope="col">{words.unit}</th><th scope="col" class="number">{words.open}</th><th scope="col" class="number">{words.overdue}</th></tr>
              </thead>
              <tbody>
                {backlog.map((unit) => (
                  <tr key={unit.unit_id}><th scope="row">{name(unit)}</th><td class="number">{unit.open}</td><td class="number">{unit.overdue}</td></tr>
                ))}
              </tbody>
            </table>
          </details>
        </>
      )}
    </section>
  );
}

function ScorecardsSection({ scorecards, words, lang }: { scorecards: Dashboard['scorecards']; words: Words; lang: Lang }) {
  const percent = (value: number | null | undefined) => percentText(value, lang) ?? '—';
  return (
    <section aria-labelledby="scorecards-title">
      <h2 id="scorecards-title">{words.scorecardsTitle}</h2>
      <p>{pick(scorecards.notes, lang)}</p>
      <div class="table-scroll">
        <table class="figures-table" data-testid="scorecards-table">
          <thead>
            <tr>
              <th scope="col">{words.unit}</th>
              <th scope="col" class="number">{words.received}</th>
              <th scope="col" class="number">{words.acknowledged}</th>
              <th scope="col" class="number">{words.resolved}</th>
              <th scope="col" class="number">{words.ackOnTime}</th>
              <th scope="col" class="number">{words.resolveOnTime}</th>
              <th scope="col" class="number">{words.satisfaction}</th>
              <th scope="col" class="number">{words.escalations}</th>
              <th scope="col" class="number">{words.confirmedFixes}</th>
            </tr>
          </thead>
          <tbody>
            {scorecards.units.map((unit) => (
              <tr key={unit.unit_id}>
                <th scope="row">{pick(unit.name, lang) || unit.unit_id}</th>
                <td class="number">{unit.received}</td>
                <td class="number">{unit.acknowledged}</td>
                <td class="number">{unit.resolved}</td>
                <td class="number">{percent(unit.acknowledged_on_time_pct)}</td>
                <td class="number">{percent(unit.resolved_on_time_pct)}</td>
                <td class="number">{unit.satisfaction.average?.toFixed(1) ?? '—'}</td>
                <td class="number">{unit.escalations}</td>
                <td class="number" data-testid="confirmed-fixes">
                  {unit.confirmed_fixes}
                  {unit.confirmed_fix_pct !== null && ` (${percent(unit.confirmed_fix_pct)})`}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}
