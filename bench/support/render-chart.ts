import { writeFileSync } from 'node:fs';
import { parse, View } from 'vega';
import { compile, type TopLevelSpec } from 'vega-lite';

/** Renders a Vega-Lite line chart of `rows` to an SVG file. */
export async function renderLineChart(
  file: string,
  title: string,
  rows: Array<Record<string, number | string>>,
  x: { field: string; title: string },
  y: { field: string; title: string },
  series?: string,
): Promise<void> {
  const spec: TopLevelSpec = {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title,
    width: 640,
    height: 280,
    data: { values: rows },
    mark: { type: 'line', point: false },
    encoding: {
      x: { field: x.field, type: 'quantitative', title: x.title },
      y: { field: y.field, type: 'quantitative', title: y.title, scale: { zero: true } },
      ...(series ? { color: { field: series, type: 'nominal' as const } } : {}),
    },
  };
  const view = new View(parse(compile(spec).spec), { renderer: 'none' });
  writeFileSync(file, await view.toSVG());
}
