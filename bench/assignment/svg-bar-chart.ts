export interface BarSeries {
  label: string;
  color: string;
  values: readonly number[];
}

const escapeXml = (text: string): string =>
  text.replace(/[<>&"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** A grouped bar chart as a standalone SVG (no script, no external font or stylesheet). */
export function groupedBarChart(options: {
  title: string;
  categories: readonly string[];
  series: readonly BarSeries[];
  yLabel: string;
}): string {
  const { title, categories, series, yLabel } = options;
  const width = 1100;
  const height = 420;
  const margin = { top: 56, right: 20, bottom: 70, left: 56 };
  const plotW = width - margin.left - margin.right;
  const plotH = height - margin.top - margin.bottom;
  const max = Math.max(1, ...series.flatMap((s) => s.values));
  const step = Math.max(1, Math.ceil(max / 6));
  const top = Math.ceil(max / step) * step;
  const y = (value: number) => margin.top + plotH - (value / top) * plotH;
  const band = plotW / categories.length;
  const barW = (band * 0.8) / series.length;
  const parts: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif" font-size="11">`,
    `<rect width="${width}" height="${height}" fill="#ffffff"/>`,
    `<text x="${width / 2}" y="22" text-anchor="middle" font-size="15" font-weight="bold">${escapeXml(title)}</text>`,
  ];
  for (let value = 0; value <= top; value += step) {
    parts.push(
      `<line x1="${margin.left}" x2="${width - margin.right}" y1="${y(value)}" y2="${y(value)}" stroke="#e3e3e3"/>`,
      `<text x="${margin.left - 6}" y="${y(value) + 4}" text-anchor="end">${value}</text>`,
    );
  }
  parts.push(
    `<text transform="translate(16 ${margin.top + plotH / 2}) rotate(-90)" text-anchor="middle">${escapeXml(yLabel)}</text>`,
  );
  categories.forEach((category, i) => {
    const x0 = margin.left + i * band + band * 0.1;
    series.forEach((s, k) => {
      const value = s.values[i] ?? 0;
      parts.push(
        `<rect x="${(x0 + k * barW).toFixed(2)}" y="${y(value).toFixed(2)}" width="${barW.toFixed(2)}" height="${(margin.top + plotH - y(value)).toFixed(2)}" fill="${s.color}"><title>${escapeXml(`${category} — ${s.label}: ${value}`)}</title></rect>`,
      );
    });
    const cx = margin.left + i * band + band / 2;
    parts.push(
      `<text transform="translate(${cx.toFixed(2)} ${margin.top + plotH + 10}) rotate(60)" font-size="9">${escapeXml(category)}</text>`,
    );
  });
  series.forEach((s, k) => {
    const x = margin.left + k * 300;
    parts.push(
      `<rect x="${x}" y="34" width="12" height="12" fill="${s.color}"/>`,
      `<text x="${x + 18}" y="44">${escapeXml(s.label)}</text>`,
    );
  });
  parts.push('</svg>');
  return `${parts.join('\n')}\n`;
}
