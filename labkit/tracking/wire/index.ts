/**
 * MLflow's REST API 2.0 as labkit's tracking service speaks it, described once for the server,
 * the `labkit` command and the web app's Experiments and Models tabs. Zod only (no Node
 * built-ins), so it is safe in a browser bundle; the web app imports it as
 * `@/labkit/tracking/wire`.
 */
export * from './codecs';
export * from './endpoint';
export * from './entities';
export * from './pages';
export * from './registry-endpoints';
export * from './tracking-endpoints';
