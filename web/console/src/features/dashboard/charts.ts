/** Only the Chart.js parts the dashboard draws (a line and a bar chart on category axes), so the
 * bundle carries nothing else of it. */
import {
  BarController,
  BarElement,
  CategoryScale,
  Chart,
  Legend,
  LineController,
  LineElement,
  LinearScale,
  PointElement,
  Tooltip,
  type ChartConfiguration,
} from 'chart.js';

Chart.register(BarController, BarElement, CategoryScale, Legend, LineController, LineElement, LinearScale, PointElement, Tooltip);

export { Chart, type ChartConfiguration };

// Two colours far apart for colour-blind readers; the lines also differ by dash and point shape,
// and every chart has its table, so colour never carries the meaning alone.
export const SERIES = {
  first: { color: '#0b4f8a', dash: [] as number[], point: 'circle' as const },
  second: { color: '#b35900', dash: [6, 4], point: 'rectRot' as const },
};
