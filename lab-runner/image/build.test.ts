import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  imageChanges,
  imageInputsHash,
  parsePackageList,
  sandboxImageLatest,
  sandboxImageRef,
} from '@/lab-runner/image/build';

const imageDir = path.join(process.cwd(), 'lab-runner', 'image');

describe('parsePackageList', () => {
  it('reads one package a line and skips comments and blank lines', () => {
    expect(parsePackageList('# tools\nbash\n\n  git  # for labs\npython3-numpy\nbash\n')).toEqual([
      'bash',
      'git',
      'python3-numpy',
    ]);
  });

  it('names the line of anything that is not a package name', () => {
    expect(() => parsePackageList('bash\npython3-venv?\n')).toThrow(/line 2: "python3-venv\?"/);
    expect(() => parsePackageList('bash git\n')).toThrow(/line 1/);
    expect(() => parsePackageList('# nothing\n')).toThrow(/no packages/);
  });

  it('accepts the real packages.txt, which has what the labs need and no sudo', () => {
    const packages = parsePackageList(fs.readFileSync(path.join(imageDir, 'packages.txt'), 'utf8'));
    expect(packages).toEqual(
      expect.arrayContaining(['python3-numpy', 'python3-pandas', 'python3-sklearn', 'git', 'nodejs']),
    );
    expect(packages).not.toContain('sudo');
  });
});

describe('the image reference', () => {
  it('is the repository tagged with 12 hex digits of the inputs hash', () => {
    const hash = imageInputsHash();
    expect(hash).toMatch(/^[0-9a-f]{64}$/);
    expect(sandboxImageRef()).toBe(`mlops-academy/lab:${hash.slice(0, 12)}`);
    expect(sandboxImageLatest).toBe('mlops-academy/lab:latest');
  });
});

describe('the two build paths', () => {
  it('give the Dockerfile the same settings as docker import', () => {
    const dockerfile = fs.readFileSync(path.join(imageDir, 'Dockerfile'), 'utf8');
    const instructions = dockerfile
      .split('\n')
      .filter((line) => /^(ENV|WORKDIR|USER|CMD|LABEL) /.test(line))
      // Same instruction, JSON spacing aside.
      .map((line) => (line.startsWith('CMD ') ? `CMD ${JSON.stringify(JSON.parse(line.slice(4)))}` : line));
    expect(instructions).toEqual([...imageChanges, 'LABEL mlops-academy.inputs-hash=$INPUTS_HASH']);
  });
});
