import {
  BarController,
  BarElement,
  CategoryScale,
  Chart,
  type ChartConfiguration,
  LinearScale,
  LineController,
  LineElement,
  PointElement,
  Tooltip,
} from 'chart.js';
import { useEffect, useRef } from 'preact/hooks';
import { useColorScheme } from '../hooks.ts';

// Only what the dashboard draws (bar and line charts), so the bundle carries nothing else of Chart.js.
Chart.register(BarController, BarElement, LineController, LineElement, PointElement, CategoryScale, LinearScale, Tooltip);

export interface Series {
  label: string;
  data: (number | null)[];
  /** A CSS custom property of the theme, e.g. "--chart-1". */
  color: string;
}

interface ChartProps {
  type: 'bar' | 'line';
  labels: string[];
  series: Series[];
  /** What the chart shows, for screen readers (the data table below has the numbers). */
  description: string;
  yMin?: number;
  yMax?: number;
  /** Whole numbers only on the y axis (counts). */
  integers?: boolean;
  yTitle?: string;
  /** Heading of the first column of the data table, e.g. "Week of". */
  labelHeading: string;
}

const cssVar = (name: string) => getComputedStyle(document.documentElement).getPropertyValue(name).trim();

/**
 * A Chart.js chart in the theme's colours (redrawn when the colour scheme changes), with a text description and a
 * collapsible data table so the figures are available without seeing the canvas.
 */
export function ChartView({ type, labels, series, description, yMin, yMax, integers, yTitle, labelHeading }: ChartProps) {
  const canvas = useRef<HTMLCanvasElement>(null);
  const scheme = useColorScheme();

  useEffect(() => {
    if (!canvas.current) return;
    const text = cssVar('--muted');
    const grid = cssVar('--chart-grid');
    const config: ChartConfiguration<'bar' | 'line', (number | null)[], string> = {
      type,
      data: {
        labels,
        datasets: series.map((s) => ({
          label: s.label,
          data: s.data,
          backgroundColor: cssVar(s.color),
          borderColor: cssVar(s.color),
          borderWidth: type === 'line' ? 2 : 0,
          borderRadius: type === 'bar' ? 4 : 0,
          pointRadius: type === 'line' ? 3 : 0,
          spanGaps: true,
          // Monotone curves never overshoot the data (a 5.0 week stays at 5.0, not above the axis).
          cubicInterpolationMode: 'monotone',
          clip: 6,
        })),
      },
      options: {
        responsive: true,
        maintainAspectRatio: false,
        layout: { padding: { top: 6 } },
        animation: window.matchMedia('(prefers-reduced-motion: reduce)').matches ? false : { duration: 300 },
        plugins: { legend: { display: false }, tooltip: { intersect: false, mode: 'index' } },
        scales: {
          x: { ticks: { color: text, maxRotation: 0, autoSkipPadding: 8 }, grid: { display: false }, border: { color: grid } },
          y: {
            ...(yMin !== undefined ? { min: yMin } : { beginAtZero: true }),
            ...(yMax !== undefined ? { max: yMax } : {}),
            ticks: { color: text, ...(integers ? { precision: 0 } : {}) },
            grid: { color: grid },
            border: { display: false },
            title: yTitle ? { display: true, text: yTitle, color: text } : { display: false },
          },
        },
      },
    };
    const chart = new Chart(canvas.current, config);
    return () => chart.destroy();
  }, [type, labels.join('|'), JSON.stringify(series), scheme, yMin, yMax, integers, yTitle]);

  return (
    <figure style={{ margin: 0 }}>
      <div class="chart-box">
        <canvas ref={canvas} role="img" aria-label={description} />
      </div>
      <details class="data-table">
        <summary>Show the figures as a table</summary>
        <div class="table-wrap">
          <table>
            <thead>
              <tr>
                <th scope="col">{labelHeading}</th>
                {series.map((s) => (
                  <th scope="col" class="num" key={s.label}>
                    {s.label}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {labels.map((label, i) => (
                <tr key={label}>
                  <th scope="row">{label}</th>
                  {series.map((s) => (
                    <td class="num" key={s.label}>
                      {s.data[i] ?? '—'}
                    </td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </details>
    </figure>
  );
}
