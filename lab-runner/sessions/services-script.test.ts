import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { servicesUpScript } from './services';

describe('servicesUpScript', () => {
  it('probes each service’s health with curl before falling back to labkit services up', () => {
    expect(servicesUpScript(['tracking'])).toBe(
      'curl -sf -m 1 -o /dev/null http://127.0.0.1:5000/health || exec labkit services up tracking',
    );
  });

  it('ignores unknown names and is a no-op without services', () => {
    expect(servicesUpScript(['nope'])).toBe('true');
    expect(servicesUpScript([])).toBe('true');
  });

  it('is valid sh', () => {
    const result = spawnSync('sh', ['-n', '-c', servicesUpScript(['tracking'])]);
    expect(result.status).toBe(0);
  });
});
