export interface Bar {
  label: string;
  value: number;
  /** A bar drawn apart, e.g. nodes that hold no group. */
  muted?: boolean;
}

interface BarChartProps {
  bars: Bar[];
  title: string;
  description: string;
}

const ROW = 28;
const LABEL_WIDTH = 160;
const CHART_WIDTH = 560;
const VALUE_GAP = 6;

/**
 * A horizontal bar chart drawn as SVG: one bar per group, the count at its end. The labels are
 * SVG text nodes (never markup), and the numbers are also given as a list for screen readers.
 */
export function BarChart({ bars, title, description }: BarChartProps) {
  const max = Math.max(1, ...bars.map((bar) => bar.value));
  const barSpace = CHART_WIDTH - LABEL_WIDTH - 40;
  const height = Math.max(ROW, bars.length * ROW) + 8;
  return (
    <figure class="bar-chart">
      <svg
        viewBox={`0 0 ${CHART_WIDTH} ${height}`}
        width="100%"
        role="img"
        aria-labelledby="chart-title chart-desc"
        preserveAspectRatio="xMinYMin meet"
      >
        <title id="chart-title">{title}</title>
        <desc id="chart-desc">{description}</desc>
        {bars.map((bar, index) => {
          const y = index * ROW + 4;
          const width = Math.round((bar.value / max) * barSpace);
          return (
            <g key={bar.label} class={bar.muted ? 'bar muted' : 'bar'} data-group={bar.label}>
              <text
                x={LABEL_WIDTH - 8}
                y={y + ROW / 2}
                class="bar-label"
                text-anchor="end"
                dominant-baseline="middle"
              >
                {bar.label.length > 22 ? `${bar.label.slice(0, 21)}…` : bar.label}
              </text>
              <rect
                x={LABEL_WIDTH}
                y={y + 3}
                width={Math.max(width, bar.value ? 2 : 0)}
                height={ROW - 8}
                rx={3}
              />
              <text
                x={LABEL_WIDTH + width + VALUE_GAP}
                y={y + ROW / 2}
                class="bar-value"
                dominant-baseline="middle"
              >
                {bar.value}
              </text>
            </g>
          );
        })}
      </svg>
      <figcaption>
        <ul class="visually-hidden">
          {bars.map((bar) => (
            <li key={bar.label}>{`${bar.label}: ${bar.value}`}</li>
          ))}
        </ul>
      </figcaption>
    </figure>
  );
}
