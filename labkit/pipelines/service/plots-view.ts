/**
 * The plots of a project for the tab: charts as SVG text (drawn by labkit, its text escaped, shown
 * by the browser as an image, so nothing in it runs), images by their path, served by
 * {@link plotImage}. A plot drawn from a file that leads outside the project is left out.
 */
import fs from 'node:fs';
import path from 'node:path';
import { collectPlots } from '../plots';
import type { Project } from '../project';
import type { PlotsView } from '../wire';
import { insideProject } from './workspace';

export function plotsView(project: Project): PlotsView {
  const { plots, warnings } = collectPlots(project);
  const root = project.repo.root;
  const shown = plots.filter((plot) => plot.sources.every((file) => insideProject(root, file)));
  return {
    plots: shown.map((plot) =>
      plot.kind === 'chart'
        ? { kind: 'chart', id: plot.id, title: plot.title, svg: plot.svg }
        : { kind: 'image', id: plot.id, title: plot.title, path: plot.id },
    ),
    warnings: [
      ...warnings,
      ...plots
        .filter((plot) => !shown.includes(plot))
        .map((plot) => `${plot.id}: leads outside the project, so it is not shown here.`),
    ],
  };
}

const imageTypes: Record<string, string> = {
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.svg': 'image/svg+xml',
};

/** Largest image served. */
const maxImageBytes = 8 * 1024 * 1024;

/** An image plot's bytes and type, when `relative` is one of the project's image plots. */
export function plotImage(project: Project, relative: string): { bytes: Buffer; type: string } | undefined {
  const plot = collectPlots(project).plots.find((item) => item.kind === 'image' && item.id === relative);
  if (plot?.kind !== 'image' || !insideProject(project.repo.root, plot.file)) return undefined;
  const type = imageTypes[path.extname(plot.file).toLowerCase()];
  const stat = fs.statSync(plot.file, { throwIfNoEntry: false });
  if (!type || !stat?.isFile() || stat.size > maxImageBytes) return undefined;
  return { bytes: fs.readFileSync(plot.file), type };
}
