/** The course map: chapters grouped by the MLOps maturity level they build towards. */
import type { Chapter } from './chapters';

export const maturityStages = [
  {
    level: 0,
    title: 'Level 0: reproducible by hand',
    summary: 'Know what MLOps asks of you, and make every experiment, dataset and model traceable and repeatable.',
  },
  {
    level: 1,
    title: 'Level 1: automated training',
    summary: 'Turn training into a pipeline, manage models in a registry, ship them safely and watch them in production.',
  },
  {
    level: 2,
    title: 'Level 2: automated delivery',
    summary: 'Build, test and deploy the pipeline itself on every change, at scale, and plan the road for your team.',
  },
] as const;

export type CourseStage = (typeof maturityStages)[number] & { chapters: Chapter[] };

export function courseMap(chapters: Chapter[]): CourseStage[] {
  return maturityStages.map((stage) => ({
    ...stage,
    chapters: chapters.filter((chapter) => chapter.maturityLevel === stage.level),
  }));
}
