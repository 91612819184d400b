import type { Lang } from '../../../../shared/i18n';

/** The league's periods (days back); the API's default is the middle one. */
export const LEAGUE_PERIODS = ['30', '90', '365'] as const;
export type LeaguePeriod = (typeof LEAGUE_PERIODS)[number];
export const DEFAULT_PERIOD: LeaguePeriod = '90';

export type Name = string | { vi: string; en: string } | null;

/** One row of `GET /public/league` (a unit's or a field's). */
export interface LeagueRow {
  unit_id?: string;
  category?: string;
  name: Name;
  received: number;
  resolved: number;
  resolved_on_time: number;
  on_time_pct: number | null;
  /** The Wilson score interval of the on-time share, in percent. */
  on_time_ci95: { low: number; high: number } | null;
  median_hours_to_resolve: number | null;
  satisfaction: { average: number | null; count: number };
  reopen_rate_pct: number | null;
  /** Resolutions the reporter rated fixed, or whose rating window closed without a "not fixed". */
  confirmed_fixes: number;
  /** confirmed_fixes per resolution whose rating window ended in the period, percent. */
  confirmed_fix_pct: number | null;
  ranked: boolean;
  rank: number | null;
}

export interface League {
  period_days: number;
  from: string;
  to: string;
  min_resolved: number;
  units: LeagueRow[];
  fields: LeagueRow[];
}

export interface TrendMonth {
  month: string;
  received: number;
  resolved: number;
  on_time_pct: number | null;
  satisfaction_average: number | null;
  rating_count: number;
}

export interface Trends {
  scope: unknown;
  months: TrendMonth[];
}

export function leaguePeriod(value: string | null): LeaguePeriod {
  return (LEAGUE_PERIODS as readonly string[]).includes(value ?? '') ? (value as LeaguePeriod) : DEFAULT_PERIOD;
}

export function nameOf(name: Name, lang: Lang, fallback: string): string {
  if (!name) return fallback;
  if (typeof name === 'string') return name;
  return name[lang] || name.vi || fallback;
}

const numberFormats = new Map<string, Intl.NumberFormat>();
function number(value: number, lang: Lang, digits: number): string {
  const key = `${lang}:${digits}`;
  let format = numberFormats.get(key);
  if (!format) {
    format = new Intl.NumberFormat(lang === 'vi' ? 'vi-VN' : 'en-GB', { maximumFractionDigits: digits, minimumFractionDigits: 0 });
    numberFormats.set(key, format);
  }
  return format.format(value);
}

/** "72 %" (Vietnamese "72 %", English "72%"); "—" when there is nothing to measure. */
export function percent(value: number | null | undefined, lang: Lang): string {
  if (value === null || value === undefined || Number.isNaN(value)) return '—';
  return lang === 'vi' ? `${number(value, lang, 0)} %` : `${number(value, lang, 0)}%`;
}

/** The interval as words: "95 % CI: 61–81 %", so the bar is never the only way to read it. */
export function intervalText(ci: LeagueRow['on_time_ci95'], lang: Lang): string {
  if (!ci) return '—';
  const low = number(ci.low, lang, 0);
  const high = number(ci.high, lang, 0);
  return lang === 'vi' ? `khoảng tin cậy 95 %: ${low}–${high} %` : `95% interval: ${low}–${high}%`;
}

/** Where the interval and the point lie on a 0–100 bar (clamped: a rounding error must not draw outside). */
export function intervalBar(pct: number | null, ci: LeagueRow['on_time_ci95']): { low: number; width: number; point: number | null } | null {
  if (!ci) return null;
  const clamp = (value: number) => Math.min(100, Math.max(0, value));
  const low = clamp(Math.min(ci.low, ci.high));
  const high = clamp(Math.max(ci.low, ci.high));
  return { low, width: high - low, point: pct === null ? null : clamp(pct) };
}

/** A median time in the unit that reads best: hours under two days, days beyond. */
export function duration(hours: number | null, lang: Lang): string {
  if (hours === null || Number.isNaN(hours)) return '—';
  if (hours < 48) return lang === 'vi' ? `${number(hours, lang, 1)} giờ` : `${number(hours, lang, 1)} h`;
  const days = hours / 24;
  return lang === 'vi' ? `${number(days, lang, 1)} ngày` : `${number(days, lang, 1)} days`;
}

export function satisfaction(value: LeagueRow['satisfaction'], lang: Lang): string {
  if (value.average === null || value.count === 0) return '—';
  return `${number(value.average, lang, 1)}/5 (${value.count})`;
}

/** The ranked rows first in rank order, then the rest as the API gave them. */
export function inLeagueOrder(rows: readonly LeagueRow[]): LeagueRow[] {
  const ranked = rows.filter((row) => row.ranked).sort((a, b) => (a.rank ?? 0) - (b.rank ?? 0));
  return [...ranked, ...rows.filter((row) => !row.ranked)];
}

async function getJson<T>(path: string, query: Record<string, string>): Promise<T> {
  const search = new URLSearchParams(query).toString();
  const response = await fetch(`${path}${search ? `?${search}` : ''}`, { headers: { Accept: 'application/json' } });
  if (!response.ok) throw new Error(`${path}: HTTP ${response.status}`);
  return (await response.json()) as T;
}

export function loadLeague(period: LeaguePeriod): Promise<League> {
  return getJson<League>('/public/league', { period });
}

/** The 12 months' trend of the province, a unit (`unit`) or a field (`category`). */
export function loadTrends(scope: { unit?: string; category?: string }): Promise<Trends> {
  const query: Record<string, string> = { months: '12' };
  if (scope.unit) query.unit = scope.unit;
  if (scope.category) query.category = scope.category;
  return getJson<Trends>('/public/trends', query);
}
