/**
 * The labkit services a lab can list in `lab.yaml` (`services: [tracking, pipelines]`): where each
 * listens inside the sandbox, the environment the learner's processes get for it, and how the
 * runner tells that it answers. Shared by the lab format (validation), the lab runner (start-up,
 * environment), labkit (`labkit services`, `labkit serve`) and the workspace (service tabs). Plain
 * data: safe to import from client components.
 */
export type LabkitServiceName = 'tracking' | 'pipelines';

/** The learner's workspace in a sandbox: what the pipelines service reads (and never writes). */
export const sandboxWorkspace = '/home/learner/work';

export type LabkitService = {
  name: LabkitServiceName;
  /** What the service tab and docs call it. */
  title: string;
  /** Inside the sandbox, on 127.0.0.1 only (sandboxes have no network). */
  port: number;
  /** Answers 200 once the service is up. */
  healthPath: string;
  /** Set for the learner's terminal, runs and checks when the lab lists the service. */
  environment: Record<string, string>;
};

export const labkitServices: Record<LabkitServiceName, LabkitService> = {
  tracking: {
    name: 'tracking',
    title: 'Tracking',
    port: 5000,
    healthPath: '/health',
    environment: { MLFLOW_TRACKING_URI: 'http://127.0.0.1:5000' },
  },
  pipelines: {
    name: 'pipelines',
    title: 'Pipelines',
    port: 5100,
    healthPath: '/health',
    // The learner runs `labkit pipeline …` themselves; the service only shows the project.
    environment: {},
  },
};

export const labkitServiceNames = Object.keys(labkitServices) as LabkitServiceName[];

export function isLabkitService(name: string): name is LabkitServiceName {
  return Object.hasOwn(labkitServices, name);
}

/** The environment for a lab's services, merged in the order they are listed. */
export function labkitEnvironment(services: readonly string[]): Record<string, string> {
  const environment: Record<string, string> = {};
  for (const name of services) {
    if (isLabkitService(name)) Object.assign(environment, labkitServices[name].environment);
  }
  return environment;
}
