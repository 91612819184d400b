/** The dashboard's figures shaped for its charts and for the tables that say the same in text. */

export interface DailyCount {
  date: string;
  submitted: number;
  resolved: number;
}

export interface UnitBacklog {
  unit_id: string;
  name: { vi: string; en: string } | null;
  open: number;
  overdue: number;
}

export interface Trend {
  labels: string[];
  submitted: number[];
  resolved: number[];
}

/** The daily series in date order, one point per day of the period (a day without reports is 0,
 * so the chart's x axis is time and not only the days that had something). */
export function dailyTrend(daily: readonly DailyCount[], from: string, to: string): Trend {
  const byDate = new Map(daily.map((day) => [day.date, day]));
  const trend: Trend = { labels: [], submitted: [], resolved: [] };
  const last = Date.parse(`${to}T00:00:00Z`);
  for (let time = Date.parse(`${from}T00:00:00Z`); time <= last; time += 86_400_000) {
    const date = new Date(time).toISOString().slice(0, 10);
    const day = byDate.get(date);
    trend.labels.push(date);
    trend.submitted.push(day?.submitted ?? 0);
    trend.resolved.push(day?.resolved ?? 0);
  }
  return trend;
}

/** Units with the most overdue first, then the most open; units with nothing open are left out. */
export function backlogRanking(backlog: readonly UnitBacklog[]): UnitBacklog[] {
  return backlog
    .filter((unit) => unit.open > 0 || unit.overdue > 0)
    .sort((a, b) => b.overdue - a.overdue || b.open - a.open || a.unit_id.localeCompare(b.unit_id));
}

/** A share as people read it in each language ("92,5 %" / "92.5%"); null when nothing was due yet. */
export function percentText(percent: number | null | undefined, lang: 'vi' | 'en'): string | null {
  if (percent === null || percent === undefined) return null;
  const number = new Intl.NumberFormat(lang === 'vi' ? 'vi-VN' : 'en-GB', { maximumFractionDigits: 1 }).format(percent);
  return lang === 'vi' ? `${number} %` : `${number}%`;
}
