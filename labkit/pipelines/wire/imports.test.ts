import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

describe('the wire module', () => {
  it('imports only zod and its own files, so the web app can bundle it for the browser', () => {
    const dir = import.meta.dirname;
    const sources = fs.readdirSync(dir).filter((name) => name.endsWith('.ts') && !name.endsWith('.test.ts'));
    for (const name of sources) {
      const text = fs.readFileSync(path.join(dir, name), 'utf8');
      const specifiers = [...text.matchAll(/\bfrom\s+'([^']+)'/g)].map((match) => match[1]);
      for (const specifier of specifiers) {
        expect(specifier === 'zod' || /^\.\/[a-z-]+$/.test(specifier ?? ''), `${name}: ${specifier}`).toBe(
          true,
        );
      }
    }
  });
});
