import { describe, expect, it } from 'vitest';
import { architectureReport, partOf, resolveSpecifier } from './architecture-report';

describe('the architecture report', () => {
  it('puts labkit in its own part wherever it lives, and the runner contract apart', () => {
    expect(partOf('labkit/tracking/server.ts')).toBe('labkit');
    expect(partOf('lab-runner/labkit/tracking/server.ts')).toBe('labkit');
    expect(partOf('lab-runner/api/tokens.ts')).toBe('lab-runner/api');
    expect(partOf('lab-runner/sessions/manager.ts')).toBe('lab-runner');
    expect(partOf('content/chapters/01-x.mdx')).toBeUndefined();
  });

  it('resolves the @/ alias and relative paths, and leaves packages alone', () => {
    expect(resolveSpecifier('lib/labs/catalog.ts', '@/lab-runner/api/lab-loader')).toBe(
      'lab-runner/api/lab-loader',
    );
    expect(resolveSpecifier('labkit/cli/serve.ts', '../../lib/labs/x')).toBe('lib/labs/x');
    expect(resolveSpecifier('lib/labs/catalog.ts', 'zod')).toBeUndefined();
  });

  it('finds no import from the web app into the runner past its contract, nor back', () => {
    const { imports } = architectureReport(process.cwd());
    for (const forbidden of [
      'lib → lab-runner',
      'app → lab-runner',
      'components → lab-runner',
      'lab-runner → lib',
    ]) {
      expect(imports.get(forbidden) ?? 0, forbidden).toBe(0);
    }
  });
});
