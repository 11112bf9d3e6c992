import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runnerEnvironment } from '@/lab-runner/config';
import { imageBuildEnvironment } from '@/lab-runner/image/build';
import { projectRoot, webEnvironment } from '@/lib/config';
import { configDocumentStates, replaceBlock } from './config-docs';
import { allSettings } from './lib/settings';

const parsedNames = [
  ...Object.keys(webEnvironment.shape),
  ...Object.keys(runnerEnvironment.shape),
  ...Object.keys(imageBuildEnvironment.shape),
];

/** Where the platform's own code runs; labkit is left out: it runs inside sandboxes, for learners. */
const codeFolders = ['app', 'components', 'lib', 'lab-runner', 'scripts', 'tests'];
const codeFile = /\.(ts|tsx|mts|mjs|cjs|js)$/;
/** Read from the environment, but set by Node.js, Next.js or CI rather than by whoever runs a server. */
const notSettings = new Set(['NODE_ENV', 'PATH', 'CI']);

function platformCodeFiles(): string[] {
  const atRoot = fs.readdirSync(projectRoot).filter((name) => codeFile.test(name));
  const inFolders = codeFolders.flatMap((folder) =>
    fs
      .readdirSync(path.join(projectRoot, folder), { recursive: true, encoding: 'utf8' })
      .filter((file) => codeFile.test(file) && !/(^|\/)(node_modules|generated)\//.test(file))
      .map((file) => path.join(folder, file)),
  );
  return [...atRoot, ...inFolders];
}

function variablesReadByCode(): Set<string> {
  const read = /process\.env(?:\.([A-Z][A-Z0-9_]*)|\[['"]([A-Z][A-Z0-9_]*)['"]\])/g;
  const names = new Set<string>();
  for (const file of platformCodeFiles()) {
    for (const match of fs.readFileSync(path.join(projectRoot, file), 'utf8').matchAll(read)) {
      names.add(match[1] ?? match[2] ?? '');
    }
  }
  return names;
}

describe('the configuration tables', () => {
  it('are what the schemas say, in README.md and docs/operating.md (else run npm run docs:config)', () => {
    const stale = configDocumentStates()
      .filter(({ current, wanted }) => current !== wanted)
      .map(({ file }) => file);
    expect(stale, 'stale configuration tables: run npm run docs:config').toEqual([]);
  });

  it('list every variable the web app, the runner and the image build parse, in both documents', () => {
    for (const { file, current } of configDocumentStates()) {
      const missing = parsedNames.filter((name) => !current.includes(`| \`${name}\` |`));
      expect(missing, `missing from ${file}`).toEqual([]);
    }
  });

  it("document every variable the platform's code reads, and only variables something reads", () => {
    const read = variablesReadByCode();
    const documented = allSettings().map((setting) => setting.name);
    const undocumented = [...read].filter((name) => !notSettings.has(name) && !documented.includes(name));
    expect(undocumented, 'read from the environment but not documented').toEqual([]);
    const unread = documented.filter((name) => !read.has(name) && !parsedNames.includes(name));
    expect(unread, 'documented but neither parsed by a schema nor read').toEqual([]);
  });
});

describe('replaceBlock', () => {
  const start = '<!-- config-table:start -->';
  const end = '<!-- config-table:end -->';

  it('replaces what is between the markers and keeps the rest', () => {
    const text = `# Title\n\n${start}\nold table\n${end}\n\nAfter.\n`;
    expect(replaceBlock(text, 'new table\n', 'doc.md')).toBe(
      `# Title\n\n${start}\nnew table\n\n${end}\n\nAfter.\n`,
    );
  });

  it('refuses a document without exactly one marked block', () => {
    expect(() => replaceBlock('# No markers\n', 'x\n', 'doc.md')).toThrowError(/doc\.md needs exactly one/);
    expect(() => replaceBlock(`${start}\n${end}\n${start}\n${end}\n`, 'x\n', 'doc.md')).toThrowError(
      /exactly one/,
    );
    expect(() => replaceBlock(`${end}\n${start}\n`, 'x\n', 'doc.md')).toThrowError(/exactly one/);
  });
});
