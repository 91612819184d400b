import { useEffect, useRef } from 'preact/hooks';
import { Chart, type ChartConfiguration } from './charts';

/** A Chart.js chart on a canvas that screen readers read as one image with its summary; the data
 * table beside it is the accessible alternative. Redrawn when its configuration changes. */
export function ChartCanvas({ config, label, testId }: { config: ChartConfiguration; label: string; testId: string }) {
  const canvas = useRef<HTMLCanvasElement>(null);
  useEffect(() => {
    if (!canvas.current) return;
    const chart = new Chart(canvas.current, config);
    return () => chart.destroy();
  }, [config]);
  return (
    <div class="chart-box">
      <canvas ref={canvas} role="img" aria-label={label} data-testid={testId} />
    </div>
  );
}
