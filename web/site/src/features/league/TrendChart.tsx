import {
  BarController, BarElement, CategoryScale, Chart, Legend, LinearScale, LineController, LineElement, PointElement, Tooltip,
} from 'chart.js';
import { useEffect, useRef } from 'preact/hooks';
import type { Lang } from '../../../../shared/i18n';
import type { TrendMonth } from './league';

// Only what this chart draws (bars and a line on category axes): the chunk carries nothing else of Chart.js.
Chart.register(BarController, BarElement, CategoryScale, Legend, LinearScale, LineController, LineElement, PointElement, Tooltip);

export interface TrendChartProps {
  months: TrendMonth[];
  /** The chart's summary for screen readers; its table is the full alternative. */
  label: string;
  lang: Lang;
}

const SERIES_NAMES = {
  vi: { received: 'Tiếp nhận', resolved: 'Đã giải quyết', onTime: 'Đúng hạn (%)' },
  en: { received: 'Received', resolved: 'Resolved', onTime: 'On time (%)' },
};

/** Received and resolved as bars (count axis), the on-time share as a dashed line (percent axis). */
export function TrendChart({ months, label, lang }: TrendChartProps) {
  const canvas = useRef<HTMLCanvasElement>(null);
  useEffect(() => {
    if (!canvas.current) return;
    const names = SERIES_NAMES[lang];
    const chart = new Chart(canvas.current, {
      type: 'bar',
      data: {
        labels: months.map((month) => month.month),
        datasets: [
          { type: 'bar', label: names.received, data: months.map((month) => month.received), backgroundColor: '#9fb8d6', yAxisID: 'count' },
          { type: 'bar', label: names.resolved, data: months.map((month) => month.resolved), backgroundColor: '#0b4f8a', yAxisID: 'count' },
          {
            type: 'line', label: names.onTime, data: months.map((month) => month.on_time_pct), borderColor: '#b35900',
            backgroundColor: '#b35900', borderDash: [6, 4], pointStyle: 'rectRot', pointRadius: 4, yAxisID: 'pct', spanGaps: true,
          },
        ],
      },
      options: {
        responsive: true,
        maintainAspectRatio: false,
        animation: false,
        scales: {
          count: { type: 'linear', position: 'left', beginAtZero: true },
          pct: { type: 'linear', position: 'right', min: 0, max: 100, grid: { drawOnChartArea: false } },
        },
      },
    });
    return () => chart.destroy();
  }, [months, lang]);
  return (
    <div class="trend-chart">
      <canvas ref={canvas} role="img" aria-label={label} data-testid="trend-chart" />
    </div>
  );
}
