export interface Bar {
  label: string;
  value: number;
  /** A bar drawn apart, e.g. nodes that hold no group. */
  muted?: boolean;
  /** Nodes that follow the group as a shared group: an outlined bar under the first. */
  shared?: number;
}

interface BarChartProps {
  bars: Bar[];
  title: string;
  description: string;
  /** The text at the end of a shared bar, e.g. "3 shared". */
  sharedText: (count: number) => string;
  /** The screen reader's line for a bar, e.g. "common: held by 0, followed … by 3". */
  itemText: (bar: Bar) => string;
}

const ROW = 28;
const SHARED_ROW = 18;
const LABEL_WIDTH = 160;
const CHART_WIDTH = 560;
const VALUE_GAP = 6;

/**
 * A horizontal bar chart drawn as SVG: one bar per group, the count at its end, and under it an
 * outlined bar for the nodes that follow the group as a shared one (when any do). A group only
 * followed as a shared one shows that bar alone, not an idle "0". The labels are SVG text nodes
 * (never markup), and the numbers are also given as a list for screen readers.
 */
export function BarChart({ bars, title, description, sharedText, itemText }: BarChartProps) {
  const max = Math.max(1, ...bars.map((bar) => Math.max(bar.value, bar.shared ?? 0)));
  const barSpace = CHART_WIDTH - LABEL_WIDTH - 80;
  const scale = (value: number) => Math.round((value / max) * barSpace);
  const rows = bars.map((bar) => {
    const sharedOnly = bar.value === 0 && (bar.shared ?? 0) > 0;
    const height = sharedOnly ? SHARED_ROW + 8 : ROW + ((bar.shared ?? 0) > 0 ? SHARED_ROW : 0);
    return { bar, sharedOnly, height };
  });
  const tops = rows.reduce<number[]>(
    (acc, row, index) => [...acc, index === 0 ? 4 : acc[index - 1] + rows[index - 1].height],
    [],
  );
  const height =
    Math.max(
      ROW,
      rows.reduce((sum, row) => sum + row.height, 0),
    ) + 8;
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
        {rows.map(({ bar, sharedOnly }, index) => {
          const y = tops[index];
          const width = scale(bar.value);
          const sharedY = sharedOnly ? y : y + ROW - 4;
          const sharedWidth = scale(bar.shared ?? 0);
          return (
            <g key={bar.label} class={bar.muted ? 'bar muted' : 'bar'} data-group={bar.label}>
              <text
                x={LABEL_WIDTH - 8}
                y={sharedOnly ? sharedY + SHARED_ROW / 2 : y + ROW / 2}
                class="bar-label"
                text-anchor="end"
                dominant-baseline="middle"
              >
                {bar.label.length > 22 ? `${bar.label.slice(0, 21)}…` : bar.label}
              </text>
              {!sharedOnly && (
                <BarLine top={y} height={ROW} width={width} value={bar.value} text={bar.value} />
              )}
              {(bar.shared ?? 0) > 0 && (
                <BarLine
                  shared
                  top={sharedY}
                  height={SHARED_ROW}
                  width={sharedWidth}
                  value={bar.shared ?? 0}
                  text={sharedText(bar.shared ?? 0)}
                />
              )}
            </g>
          );
        })}
      </svg>
      <figcaption>
        <ul class="visually-hidden">
          {bars.map((bar) => (
            <li key={bar.label}>{itemText(bar)}</li>
          ))}
        </ul>
      </figcaption>
    </figure>
  );
}

interface BarLineProps {
  top: number;
  height: number;
  width: number;
  value: number;
  text: string | number;
  /** The outlined bar of the nodes following the group as a shared one. */
  shared?: boolean;
}

/** One bar and the text at its end (a count of 0 draws no bar, only its text). */
function BarLine({ top, height, width, value, text, shared = false }: BarLineProps) {
  return (
    <>
      <rect
        class={shared ? 'bar-shared' : undefined}
        x={LABEL_WIDTH}
        y={top + 3}
        width={Math.max(width, value ? 2 : 0)}
        height={height - (shared ? 6 : 8)}
        rx={3}
      />
      <text
        x={LABEL_WIDTH + width + VALUE_GAP}
        y={top + height / 2}
        class={shared ? 'bar-value bar-shared-value' : 'bar-value'}
        dominant-baseline="middle"
      >
        {text}
      </text>
    </>
  );
}
