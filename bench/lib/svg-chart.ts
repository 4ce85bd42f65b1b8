/**
 * A small SVG line-chart writer for the benchmark figures (no library, no CDN): axes with ticks,
 * an optional logarithmic x axis, one polyline per series, and a legend.
 */
export interface ChartSeries {
  label: string;
  color: string;
  dashed?: boolean;
  points: [number, number][];
}

export interface LineChart {
  title: string;
  xLabel: string;
  yLabel: string;
  logX?: boolean;
  xTicks: number[];
  yTicks: number[];
  series: ChartSeries[];
  width?: number;
  height?: number;
}

const escapeXml = (text: string) =>
  text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

const tickText = (value: number) =>
  value >= 1000 ? `${value / 1000} s` : value >= 1 ? `${value}` : value.toString();

export function lineChartSvg(chart: LineChart): string {
  const width = chart.width ?? 760;
  const height = chart.height ?? 420;
  const margin = { left: 64, right: 190, top: 40, bottom: 52 };
  const plotW = width - margin.left - margin.right;
  const plotH = height - margin.top - margin.bottom;
  const fx = (x: number) => (chart.logX ? Math.log10(x) : x);
  const [x0, x1] = [fx(chart.xTicks[0]), fx(chart.xTicks[chart.xTicks.length - 1])];
  const [y0, y1] = [chart.yTicks[0], chart.yTicks[chart.yTicks.length - 1]];
  const clampX = (x: number) => Math.min(x1, Math.max(x0, fx(x)));
  const px = (x: number) => margin.left + ((clampX(x) - x0) / (x1 - x0)) * plotW;
  const py = (y: number) => margin.top + plotH - ((y - y0) / (y1 - y0)) * plotH;
  const round = (n: number) => Math.round(n * 10) / 10;
  const parts: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" ` +
      `viewBox="0 0 ${width} ${height}" font-family="sans-serif" font-size="12">`,
    `<rect width="${width}" height="${height}" fill="#fff"/>`,
    `<text x="${width / 2 - margin.right / 2}" y="22" text-anchor="middle" font-size="15" ` +
      `font-weight="bold">${escapeXml(chart.title)}</text>`,
  ];
  for (const tick of chart.xTicks) {
    const x = round(px(tick));
    parts.push(
      `<line x1="${x}" y1="${margin.top}" x2="${x}" y2="${margin.top + plotH}" stroke="#e4e4e4"/>`,
      `<text x="${x}" y="${margin.top + plotH + 16}" text-anchor="middle">${tickText(tick)}</text>`,
    );
  }
  for (const tick of chart.yTicks) {
    const y = round(py(tick));
    parts.push(
      `<line x1="${margin.left}" y1="${y}" x2="${margin.left + plotW}" y2="${y}" stroke="#e4e4e4"/>`,
      `<text x="${margin.left - 6}" y="${y + 4}" text-anchor="end">${tick}</text>`,
    );
  }
  parts.push(
    `<rect x="${margin.left}" y="${margin.top}" width="${plotW}" height="${plotH}" fill="none" ` +
      `stroke="#666"/>`,
    `<text x="${margin.left + plotW / 2}" y="${height - 12}" text-anchor="middle">` +
      `${escapeXml(chart.xLabel)}</text>`,
    `<text transform="translate(16 ${margin.top + plotH / 2}) rotate(-90)" text-anchor="middle">` +
      `${escapeXml(chart.yLabel)}</text>`,
  );
  chart.series.forEach((series, index) => {
    const points = series.points.map(([x, y]) => `${round(px(x))},${round(py(y))}`).join(' ');
    const dash = series.dashed ? ' stroke-dasharray="6 4"' : '';
    parts.push(
      `<polyline points="${points}" fill="none" stroke="${series.color}" stroke-width="2"${dash}/>`,
    );
    const ly = margin.top + 10 + index * 20;
    const lx = margin.left + plotW + 14;
    parts.push(
      `<line x1="${lx}" y1="${ly}" x2="${lx + 24}" y2="${ly}" stroke="${series.color}" ` +
        `stroke-width="2"${dash}/>`,
      `<text x="${lx + 30}" y="${ly + 4}">${escapeXml(series.label)}</text>`,
    );
  });
  parts.push('</svg>');
  return `${parts.join('\n')}\n`;
}

/** Empirical CDF of a sample as chart points: (value, fraction of the sample ≤ value). */
export function cdfPoints(values: readonly number[], maxPoints = 200): [number, number][] {
  const sorted = [...values].sort((a, b) => a - b);
  const step = Math.max(1, Math.floor(sorted.length / maxPoints));
  const points: [number, number][] = [];
  for (let i = 0; i < sorted.length; i += step) points.push([sorted[i], (i + 1) / sorted.length]);
  points.push([sorted[sorted.length - 1], 1]);
  return points;
}
