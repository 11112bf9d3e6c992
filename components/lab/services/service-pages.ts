/**
 * The pages each labkit service adds to the lab workspace, as tabs next to the editor: a learner
 * sees what their service holds (the tracking server's runs and models, the pipeline's stages)
 * without leaving the lab.
 * Plain data, shared by the workspace and its tests; the pages' components are in ServicePage.tsx.
 */
import type { SessionAccess } from '../session-access';
import { isLabkitService, type LabkitServiceName } from '@/lab-runner/api/labkit-services';

export type ServicePageId = 'experiments' | 'models' | 'pipelines';

export type ServicePageInfo = { id: ServicePageId; service: LabkitServiceName; title: string };

const pagesByService: Record<LabkitServiceName, ServicePageInfo[]> = {
  tracking: [
    { id: 'experiments', service: 'tracking', title: 'Experiments' },
    { id: 'models', service: 'tracking', title: 'Models' },
  ],
  pipelines: [{ id: 'pipelines', service: 'pipelines', title: 'Pipelines' }],
};

/** The pages of the services a lab lists, in the order listed; unknown names add none. */
export function servicePagesFor(services: readonly string[]): ServicePageInfo[] {
  const names = [...new Set(services)].filter(isLabkitService);
  return names.flatMap((name) => pagesByService[name]);
}

/** A request from one page to show something on another (a model version's source run…). */
export type ServiceLink = {
  pageId: ServicePageId;
  params: Record<string, string>;
  /** When it was asked for: the same link asked twice is two requests. */
  at: number;
};

export type ServicePageProps = {
  access: SessionAccess | null;
  /** The page's tab is the one shown (pages stay mounted, and quiet, when hidden). */
  isActive: boolean;
  /** The latest link aimed at this page, if any. */
  link: ServiceLink | null;
  onNavigate(pageId: ServicePageId, params: Record<string, string>): void;
};
