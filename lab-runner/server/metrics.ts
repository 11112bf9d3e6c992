/** Prometheus metrics of one runner instance (its own registry, so tests can run several). */
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

export type RunnerMetrics = ReturnType<typeof createRunnerMetrics>;

export function createRunnerMetrics() {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'mlops_academy_runner_' });
  return {
    registry,
    sessions: new Gauge({
      name: 'mlops_academy_sessions',
      help: 'Learner sandbox sessions by state.',
      labelNames: ['state'],
      registers: [registry],
    }),
    poolSize: new Gauge({
      name: 'mlops_academy_pool_size',
      help: 'Warm, unassigned sandboxes ready to hand out.',
      registers: [registry],
    }),
    startSeconds: new Histogram({
      name: 'mlops_academy_session_start_seconds',
      help: 'Time from "start lab" to a working shell, by start kind (warm pool or cold).',
      labelNames: ['kind'],
      buckets: [0.1, 0.25, 0.5, 1, 2, 5, 10, 30],
      registers: [registry],
    }),
    checks: new Counter({
      name: 'mlops_academy_checks_total',
      help: 'Step checks run, by result status (pass, fail, error).',
      labelNames: ['status'],
      registers: [registry],
    }),
    checkSeconds: new Histogram({
      name: 'mlops_academy_check_seconds',
      help: 'Time to grade a step: its runs plus its check.',
      buckets: [0.25, 0.5, 1, 1.5, 2, 5, 10, 30, 60],
      registers: [registry],
    }),
  };
}
