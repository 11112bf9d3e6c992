/**
 * `plots show`: the plots a dvc.yaml declares, drawn into one self-contained HTML page
 * (`dvc_plots/index.html`, as DVC writes it) with inline SVG — no script, no network.
 *
 * What DVC calls plots: a stage's `plots:` outputs (a file, or a folder of files, with `x`, `y`,
 * `template`, `title`, `x_label`, `y_label`) and the top-level `plots:` entries (a path, a path
 * with properties, or an id whose `y` maps files to fields). Data files are JSON or YAML (a list
 * of records, or a mapping holding one), CSV or TSV; without `x` the record's index is the step,
 * without `y` the record's last field is drawn. Templates: `linear`/`simple`/`smooth` (lines),
 * `scatter`, `bar_horizontal`(`_sorted`) and `confusion`(`_normalized`). Images (PNG, JPEG, GIF,
 * SVG) are copied beside the page and shown as they are. `collectPlots` draws them in memory, for
 * the pipelines service, which must not write into the project.
 */
import fs from 'node:fs';
import path from 'node:path';
import { isPyMapping, numberOf, pythonNumberStr, type PyValue } from '../data/python-json';
import { listFiles } from '../data/hash';
import { parseYaml } from '../data/yaml-file';
import type { Project } from './project';

type Row = Record<string, PyValue>;
type Series = { label: string; points: { x: PyValue; y: PyValue }[] };
type PlotSpec = {
  id: string;
  template: string;
  title?: string;
  xLabel: string;
  yLabel: string;
  series: Series[];
};

const imageExtensions = new Set(['.png', '.jpg', '.jpeg', '.gif', '.svg']);

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);
}

/** The records of a data file. */
export function readRecords(file: string): Row[] {
  const text = fs.readFileSync(file, 'utf8');
  const extension = path.extname(file).toLowerCase();
  if (extension === '.csv' || extension === '.tsv') {
    const separator = extension === '.csv' ? ',' : '\t';
    const [header, ...lines] = text.split(/\r?\n/).filter((line) => line.trim() !== '');
    const fields = (header ?? '').split(separator).map((field) => field.trim());
    return lines.map((line) => {
      const cells = line.split(separator);
      return Object.fromEntries(
        fields.map((field, index) => {
          const cell = (cells[index] ?? '').trim();
          const number = Number(cell);
          return [field, cell !== '' && Number.isFinite(number) ? number : cell];
        }),
      );
    });
  }
  const value = parseYaml(text, file);
  const list = Array.isArray(value)
    ? value
    : isPyMapping(value)
      ? (Object.values(value).find((item) => Array.isArray(item)) as PyValue[] | undefined)
      : undefined;
  return (list ?? []).filter(isPyMapping) as Row[];
}

function seriesOf(
  rows: Row[],
  x: string | undefined,
  y: string | undefined,
  label: string,
): Series & { x: string; y: string } {
  const yField = y ?? Object.keys(rows[0] ?? {}).at(-1) ?? 'y';
  const xField = x ?? 'step';
  return {
    label,
    x: xField,
    y: yField,
    points: rows.map((row, index) => ({
      x: x === undefined ? index : (row[xField] ?? null),
      y: row[yField] ?? null,
    })),
  };
}

type Props = {
  template?: string;
  x?: string | Record<string, string>;
  y?: unknown;
  title?: string;
  x_label?: string;
  y_label?: string;
};

function specFor(id: string, files: { file: string; label: string }[], props: Props, root: string): PlotSpec {
  const template = props.template ?? 'linear';
  const series: Series[] = [];
  let xName = typeof props.x === 'string' ? props.x : 'step';
  let yName = '';
  for (const { file, label } of files) {
    const rows = readRecords(file);
    const fields = isPyMapping(props.y as PyValue)
      ? [
          (props.y as Record<string, string | string[]>)[
            path.relative(root, file).split(path.sep).join('/')
          ] ?? [],
        ].flat()
      : [props.y as string | string[] | undefined].flat();
    const xField =
      typeof props.x === 'string'
        ? props.x
        : isPyMapping(props.x as PyValue)
          ? (props.x as Record<string, string>)[label]
          : undefined;
    for (const field of fields.length ? fields : [undefined]) {
      const made = seriesOf(
        rows,
        xField,
        field,
        field && (files.length > 1 || fields.length > 1) ? `${label}: ${field}` : label,
      );
      xName = made.x;
      yName = yName || made.y;
      series.push(made);
    }
  }
  const spec: PlotSpec = {
    id,
    template,
    xLabel: props.x_label ?? xName,
    yLabel: props.y_label ?? yName,
    series,
  };
  if (props.title !== undefined) spec.title = props.title;
  return spec;
}

const palette = ['#4c78a8', '#f58518', '#54a24b', '#e45756', '#72b7b2', '#b279a2', '#eeca3b', '#9d755d'];

function label(value: PyValue): string {
  const number = numberOf(value);
  if (number !== undefined)
    return Number.isInteger(number) ? String(number) : pythonNumberStr(Math.round(number * 1e4) / 1e4);
  return String(value);
}

function chartSvg(spec: PlotSpec): string {
  const width = 640;
  const height = 360;
  const margin = { left: 64, right: 16, top: 16, bottom: 48 };
  const plotWidth = width - margin.left - margin.right;
  const plotHeight = height - margin.top - margin.bottom;
  const parts: string[] = [];
  if (spec.template.startsWith('confusion')) return confusionSvg(spec);
  const points = spec.series.flatMap((series) => series.points);
  const ys = points
    .map((point) => numberOf(point.y))
    .filter((y): y is number => y !== undefined && Number.isFinite(y));
  if (ys.length === 0) return '<p>No numeric values to draw.</p>';
  const numericX = points.every((point) => numberOf(point.x) !== undefined);
  const categories = numericX ? [] : [...new Set(points.map((point) => label(point.x)))];
  const xs = numericX ? points.map((point) => numberOf(point.x)!) : categories.map((_, index) => index);
  const [xMin, xMax] = [Math.min(...xs), Math.max(...xs)];
  const isBar = spec.template.startsWith('bar');
  const [yMin, yMax] = [Math.min(isBar ? 0 : Infinity, ...ys), Math.max(...ys)];
  const sx = (x: number) =>
    margin.left + (xMax === xMin ? plotWidth / 2 : ((x - xMin) / (xMax - xMin)) * plotWidth);
  const sy = (y: number) =>
    margin.top + plotHeight - (yMax === yMin ? plotHeight / 2 : ((y - yMin) / (yMax - yMin)) * plotHeight);
  const xOf = (value: PyValue) => (numericX ? numberOf(value)! : categories.indexOf(label(value)));
  parts.push(
    `<rect x="${margin.left}" y="${margin.top}" width="${plotWidth}" height="${plotHeight}" fill="none" stroke="#ccc"/>`,
  );
  for (const y of [yMin, (yMin + yMax) / 2, yMax]) {
    parts.push(
      `<text x="${margin.left - 6}" y="${sy(y) + 4}" text-anchor="end" font-size="11">${escapeHtml(label(y))}</text>`,
    );
  }
  const xTicks = numericX ? [xMin, (xMin + xMax) / 2, xMax] : categories.map((_, index) => index);
  for (const x of xTicks) {
    const text = numericX ? label(x) : (categories[x] ?? '');
    parts.push(
      `<text x="${sx(x)}" y="${height - margin.bottom + 16}" text-anchor="middle" font-size="11">${escapeHtml(text)}</text>`,
    );
  }
  parts.push(
    `<text x="${margin.left + plotWidth / 2}" y="${height - 8}" text-anchor="middle" font-size="12">${escapeHtml(spec.xLabel)}</text>`,
  );
  parts.push(
    `<text x="14" y="${margin.top + plotHeight / 2}" text-anchor="middle" font-size="12" transform="rotate(-90 14 ${margin.top + plotHeight / 2})">${escapeHtml(spec.yLabel)}</text>`,
  );
  spec.series.forEach((series, index) => {
    const color = palette[index % palette.length]!;
    const drawn = series.points.filter(
      (point) => numberOf(point.y) !== undefined && (numericX ? numberOf(point.x) !== undefined : true),
    );
    if (spec.template === 'scatter' || isBar) {
      for (const point of drawn) {
        const [cx, cy] = [sx(xOf(point.x)), sy(numberOf(point.y)!)];
        parts.push(
          isBar
            ? `<rect x="${cx - 6 + index * 3}" y="${Math.min(cy, sy(0))}" width="6" height="${Math.abs(sy(0) - cy)}" fill="${color}"/>`
            : `<circle cx="${cx}" cy="${cy}" r="3" fill="${color}"/>`,
        );
      }
    } else {
      const line = drawn
        .map((point) => `${sx(xOf(point.x)).toFixed(1)},${sy(numberOf(point.y)!).toFixed(1)}`)
        .join(' ');
      parts.push(`<polyline points="${line}" fill="none" stroke="${color}" stroke-width="2"/>`);
    }
    parts.push(
      `<text x="${margin.left + 8}" y="${margin.top + 14 + index * 14}" font-size="11" fill="${color}">${escapeHtml(series.label)}</text>`,
    );
  });
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" role="img">${parts.join('')}</svg>`;
}

function confusionSvg(spec: PlotSpec): string {
  const counts = new Map<string, number>();
  const actual = new Set<string>();
  const predicted = new Set<string>();
  for (const point of spec.series.flatMap((series) => series.points)) {
    const [a, p] = [label(point.x), label(point.y)];
    actual.add(a);
    predicted.add(p);
    counts.set(`${a}\0${p}`, (counts.get(`${a}\0${p}`) ?? 0) + 1);
  }
  const rows = [...actual].sort();
  const columns = [...predicted].sort();
  const cell = 48;
  const left = 96;
  const top = 40;
  const max = Math.max(1, ...counts.values());
  const normalized = spec.template === 'confusion_normalized';
  const parts: string[] = [];
  columns.forEach((column, j) =>
    parts.push(
      `<text x="${left + j * cell + cell / 2}" y="${top - 8}" text-anchor="middle" font-size="11">${escapeHtml(column)}</text>`,
    ),
  );
  rows.forEach((row, i) => {
    const total = columns.reduce((sum, column) => sum + (counts.get(`${row}\0${column}`) ?? 0), 0) || 1;
    parts.push(
      `<text x="${left - 8}" y="${top + i * cell + cell / 2 + 4}" text-anchor="end" font-size="11">${escapeHtml(row)}</text>`,
    );
    columns.forEach((column, j) => {
      const count = counts.get(`${row}\0${column}`) ?? 0;
      const shade = Math.round(255 - (count / max) * 180);
      const text = normalized ? (count / total).toFixed(2) : String(count);
      parts.push(
        `<rect x="${left + j * cell}" y="${top + i * cell}" width="${cell}" height="${cell}" fill="rgb(${shade},${shade},255)" stroke="#fff"/>`,
      );
      parts.push(
        `<text x="${left + j * cell + cell / 2}" y="${top + i * cell + cell / 2 + 4}" text-anchor="middle" font-size="12">${text}</text>`,
      );
    });
  });
  const width = left + columns.length * cell + 16;
  const height = top + rows.length * cell + 32;
  parts.push(
    `<text x="${left}" y="${height - 8}" font-size="12">${escapeHtml(`${spec.yLabel} (columns) by ${spec.xLabel} (rows)`)}</text>`,
  );
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" role="img">${parts.join('')}</svg>`;
}

/**
 * One plot of the project: a chart drawn as SVG (text escaped; shapes and text only), or an image
 * file shown as it is. `sources` are the files it was drawn from.
 */
export type CollectedPlot =
  | { kind: 'chart'; id: string; title: string; svg: string; sources: string[] }
  | { kind: 'image'; id: string; title: string; file: string; sources: string[] };

/** Every plot the project declares, drawn in memory, with a warning for each that cannot be. */
export function collectPlots(project: Project): { plots: CollectedPlot[]; warnings: string[] } {
  const { repo } = project;
  const plots: CollectedPlot[] = [];
  const warnings: string[] = [];
  const filesOf = (absolute: string) => {
    const stat = fs.statSync(absolute, { throwIfNoEntry: false });
    if (!stat) return [];
    return stat.isDirectory()
      ? listFiles(absolute)
          .map((file) => file.absolute)
          .sort()
      : [absolute];
  };
  const addFile = (file: string, props: Props) => {
    const display = repo.relative(file);
    if (imageExtensions.has(path.extname(file).toLowerCase())) {
      plots.push({ kind: 'image', id: display, title: display, file, sources: [file] });
      return;
    }
    try {
      const svg = chartSvg(specFor(display, [{ file, label: display }], props, repo.root));
      plots.push({ kind: 'chart', id: display, title: props.title ?? display, svg, sources: [file] });
    } catch (error) {
      warnings.push(`${display}: ${(error as Error).message}`);
    }
  };
  for (const stage of project.stages) {
    for (const out of stage.outs) {
      if (out.kind !== 'plots' || out.external) continue;
      const files = filesOf(out.absolute);
      if (files.length === 0)
        warnings.push(`'${repo.relative(out.absolute)}' (stage '${stage.addressing}') does not exist yet.`);
      for (const file of files) addFile(file, out.plot ?? {});
    }
  }
  for (const pipeline of project.pipelines) {
    const base = path.dirname(pipeline.dvcfile);
    for (const entry of pipeline.plots) {
      const [id, props] =
        typeof entry === 'string' ? [entry, {}] : (Object.entries(entry)[0] as [string, Props | null]);
      const given = props ?? {};
      if (isPyMapping(given.y as PyValue)) {
        const files = Object.keys(given.y as object).map((file) => ({
          file: path.resolve(base, file),
          label: file,
        }));
        const missing = files.filter(({ file }) => !fs.existsSync(file));
        if (missing.length) {
          warnings.push(
            `plot '${id}': ${missing.map(({ label: name }) => name).join(', ')} does not exist yet.`,
          );
          continue;
        }
        try {
          const svg = chartSvg(specFor(id, files, given, base));
          const sources = files.map(({ file }) => file);
          plots.push({ kind: 'chart', id, title: given.title ?? id, svg, sources });
        } catch (error) {
          warnings.push(`plot '${id}': ${(error as Error).message}`);
        }
        continue;
      }
      const files = filesOf(path.resolve(base, id));
      if (files.length === 0) warnings.push(`'${id}' does not exist yet.`);
      for (const file of files) addFile(file, given);
    }
  }
  return { plots, warnings };
}

/** Draws every plot of the project into `outDir/index.html`; returns the page and what was drawn. */
export function renderPlots(
  project: Project,
  outDir: string,
): { index: string; count: number; warnings: string[] } {
  const { plots, warnings } = collectPlots(project);
  const staticDir = path.join(outDir, 'static');
  const sections = plots.map((plot) => {
    if (plot.kind === 'chart') return { title: plot.title, body: plot.svg };
    // Images are copied beside the page.
    fs.mkdirSync(staticDir, { recursive: true });
    const name = plot.id.replace(/[\\/]/g, '_');
    fs.copyFileSync(plot.file, path.join(staticDir, name));
    return { title: plot.title, body: `<img src="static/${escapeHtml(name)}" alt="${escapeHtml(plot.id)}">` };
  });
  fs.mkdirSync(outDir, { recursive: true });
  const index = path.join(outDir, 'index.html');
  const body = sections
    .map((section) => `<section><h2>${escapeHtml(section.title)}</h2>${section.body}</section>`)
    .join('\n');
  fs.writeFileSync(
    index,
    `<!DOCTYPE html>\n<html><head><meta charset="utf-8"><title>DVC plots</title>` +
      `<style>body{font-family:sans-serif;margin:2em}section{margin-bottom:2em}img{max-width:640px}</style>` +
      `</head><body>\n${body}\n</body></html>\n`,
  );
  return { index, count: sections.length, warnings };
}
