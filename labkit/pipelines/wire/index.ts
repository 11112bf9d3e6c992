/**
 * The pipelines service's wire format, described once for the server (`labkit serve pipelines`)
 * and the web app's Pipelines tab: reply schemas, the endpoint table, and the commands the tab
 * types into the learner's terminal. Zod only (no Node built-ins), so it is safe in a browser
 * bundle; the web app imports it as `@/labkit/pipelines/wire`.
 */
export * from './commands';
export * from './endpoints';
export * from './entities';
