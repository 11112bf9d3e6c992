import nextCoreWebVitals from 'eslint-config-next/core-web-vitals';
import nextTypescript from 'eslint-config-next/typescript';

/**
 * The one allowed direction of imports between the product's parts (docs/architecture.md):
 *
 *   app/, components/, lib/  ──▶  lab-runner/api/  (the runner's contract: shapes, tokens, labs)
 *   components/              ──▶  labkit/<service>/wire  (a labkit service's wire format)
 *   lab-runner/              ──▶  nothing of the web app; labkit only to bundle it into the image
 *   labkit/                  ──▶  nothing but lab-runner/api/labkit-services (the service table)
 *
 * Imports between parts use the `@/` alias, so these patterns see them; a relative import that
 * climbs out of its part is refused for the same reason.
 */
const restrict = (patterns) => ({ 'no-restricted-imports': ['error', { patterns }] });

const forbid = (regex, message) => ({ regex, message });

const runnerInternals = forbid(
  '^@/lab-runner/(?!api/)',
  'The web app reaches the lab runner only through its contract, @/lab-runner/api/*.',
);
const labkitInternals = forbid(
  '^@/labkit/(?![a-z-]+/wire$)',
  'labkit runs inside sandboxes; the web app may use only a service wire module (@/labkit/<service>/wire).',
);
const labkitFromWeb = (part) =>
  forbid('^@/labkit/', `${part}/ does not use labkit; its services are reached over HTTP.`);
const webFromRunner = forbid(
  '^@/(lib|app|components)/',
  'The lab runner imports nothing from the web app; shared code belongs in lab-runner/api/.',
);
const runnerMustNot = [
  webFromRunner,
  forbid('^@/labkit/', 'The lab runner never imports labkit (only lab-runner/image/ bundles it).'),
];
const labkitMessage =
  'labkit runs inside the sandbox: it imports only labkit/ and the service table (@/lab-runner/api/labkit-services).';

/** What each part's code and tests may not import (alias forms). */
const restrictionsOf = {
  lib: { code: [runnerInternals, labkitFromWeb('lib')], tests: [runnerInternals] },
  app: { code: [runnerInternals, labkitFromWeb('app')], tests: [runnerInternals] },
  components: { code: [runnerInternals, labkitInternals], tests: [runnerInternals, labkitInternals] },
  'lab-runner': { code: runnerMustNot, tests: runnerMustNot },
  labkit: {
    code: [
      forbid('^@/(lib|app|components|scripts|tests)/|^@/lab-runner/(?!api/labkit-services$)', labkitMessage),
    ],
    // Tests beside labkit's code may use the shared test helpers.
    tests: [
      forbid(
        '^@/(lib|app|components|scripts)/|^@/tests/(?!support/)|^@/lab-runner/(?!api/labkit-services$)',
        labkitMessage,
      ),
    ],
  },
};

/**
 * One block per folder depth inside a part: `../` repeated as many times as a file is deep leaves
 * the part. Test files get the part's test restrictions (they may use tests/support).
 */
function boundariesOf(part) {
  const message = `Import other parts with the @/ alias, not a relative path out of ${part}/.`;
  return Array.from({ length: 6 }, (_, index) => index + 1).flatMap((depth) => {
    const folder = `${part}/${'*/'.repeat(depth - 1)}`;
    const climbing = { regex: `^(\\.\\./){${depth}}`, message };
    return [
      { files: [`${folder}*.{ts,tsx,mts,mjs}`], rules: restrict([climbing, ...restrictionsOf[part].code]) },
      { files: [`${folder}*.test.{ts,tsx}`], rules: restrict([climbing, ...restrictionsOf[part].tests]) },
    ];
  });
}

const boundaries = [
  ...['lib', 'app', 'components', 'lab-runner', 'labkit'].flatMap(boundariesOf),
  {
    // The image carries labkit's bundle: the one place on the runner's side that builds it.
    files: ['lab-runner/image/*.ts'],
    rules: restrict([
      { regex: '^(\\.\\./){2}', message: 'Import other parts with the @/ alias.' },
      webFromRunner,
    ]),
  },
];

const config = [
  {
    ignores: [
      '.next/**',
      'node_modules/**',
      'lib/generated/**',
      'test-results/**',
      'playwright-report/**',
      'data/**',
      '.cache/**',
      'next-env.d.ts',
      'public/monaco/**',
    ],
  },
  ...nextCoreWebVitals,
  ...nextTypescript,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-console': 'off',
    },
  },
  ...boundaries,
];

export default config;
