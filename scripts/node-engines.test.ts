/**
 * The Node.js version package.json promises (`engines.node`, the README's "Node.js 20.19 or newer")
 * must be one every locked package accepts, or `npm install` (and so `npm start`) prints EBADENGINE
 * warnings. The one exception is named here with the reason it is harmless; the README says so too.
 */
import fs from 'node:fs';
import path from 'node:path';
import semver from 'semver';
import { describe, expect, it } from 'vitest';

const root = path.resolve(import.meta.dirname, '..');
const readJson = (file: string) => JSON.parse(fs.readFileSync(path.join(root, file), 'utf8')) as unknown;

type Lockfile = { packages: Record<string, { version?: string; engines?: { node?: string } }> };

/** Packages no release of which supports the minimum, and why they do not matter here. */
const knownExceptions: Record<string, string> = {
  // Part of the Prisma CLI's `prisma dev` (a local Postgres server), which the platform never runs;
  // `prisma generate` and our own migrations do not load it.
  '@prisma/streams-local': 'loaded only by `prisma dev`',
};

const minimum = semver.minVersion((readJson('package.json') as { engines: { node: string } }).engines.node);
const lockfile = readJson('package-lock.json') as Lockfile;

/** Every locked package whose declared `engines.node` refuses the minimum Node.js version. */
const refusing = Object.entries(lockfile.packages).flatMap(([location, entry]) => {
  const range = entry.engines?.node;
  if (!location || !range || !minimum || semver.satisfies(minimum, range)) return [];
  return [{ name: location.replace(/^.*node_modules\//, ''), version: entry.version, range }];
});

describe('the Node.js version the project promises', () => {
  it('is stated in package.json', () => {
    expect(minimum?.version).toBe('20.19.0');
  });

  it('is accepted by every locked package but the known exceptions', () => {
    expect(refusing.filter((entry) => !(entry.name in knownExceptions))).toEqual([]);
  });

  it('names only exceptions that still refuse it', () => {
    expect(Object.keys(knownExceptions).filter((name) => !refusing.some((e) => e.name === name))).toEqual([]);
  });
});
