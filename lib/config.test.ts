import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, parseConfig } from './config';

describe('parseConfig', () => {
  it('uses documented defaults', () => {
    const config = parseConfig({});
    expect(config).toMatchObject({ port: 3000, host: '0.0.0.0', databaseUrl: 'file:./data/academy.db' });
    expect(config.databasePath).toBe(path.join(process.cwd(), 'data', 'academy.db'));
  });

  it('resolves relative database files against the project root and keeps absolute ones', () => {
    expect(parseConfig({ DATABASE_URL: 'file:/var/lib/academy/db.sqlite' }).databasePath).toBe(
      '/var/lib/academy/db.sqlite',
    );
    expect(parseConfig({ DATABASE_URL: 'file:./other.db?mode=rwc' }).databasePath).toBe(
      path.join(process.cwd(), 'other.db'),
    );
  });

  it('names the variable that is wrong', () => {
    expect(() => parseConfig({ PORT: 'eighty' })).toThrowError(ConfigError);
    expect(() => parseConfig({ PORT: '70000' })).toThrowError(/PORT/);
    expect(() => parseConfig({ DATABASE_URL: 'postgres://x' })).toThrowError(
      /DATABASE_URL: must be a SQLite file URL/,
    );
  });
});
