import fs from 'node:fs';
import os from 'node:os';
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

  it('reaches the runner at RUNNER_URL with RUNNER_SECRET, or the secret file in RUNNER_DATA_DIR', () => {
    const given = parseConfig({
      RUNNER_URL: 'http://runner:4000/',
      RUNNER_SECRET: 'a-secret-of-enough-length',
    });
    expect(given.runnerUrl).toBe('http://runner:4000');
    expect(given.runnerSecret()).toBe('a-secret-of-enough-length');
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'academy-config-'));
    try {
      fs.writeFileSync(path.join(dir, 'runner-secret'), 'from-the-runner-file-0123\n');
      expect(parseConfig({ RUNNER_DATA_DIR: dir }).runnerSecret()).toBe('from-the-runner-file-0123');
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
    expect(() => parseConfig({ RUNNER_URL: 'ftp://x' })).toThrowError(/RUNNER_URL/);
  });

  it('reads the secret from RUNNER_SECRET_FILE (a Docker or systemd secret), never with RUNNER_SECRET too', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'academy-config-'));
    try {
      const file = path.join(dir, 'runner_secret');
      fs.writeFileSync(file, '  a-secret-from-a-file-0123\n');
      expect(parseConfig({ RUNNER_SECRET_FILE: file }).runnerSecret()).toBe('a-secret-from-a-file-0123');
      fs.writeFileSync(file, 'short\n');
      expect(() => parseConfig({ RUNNER_SECRET_FILE: file }).runnerSecret()).toThrowError(
        /RUNNER_SECRET_FILE: the secret in .* must be at least 16 characters/,
      );
      expect(() =>
        parseConfig({ RUNNER_SECRET_FILE: path.join(dir, 'missing') }).runnerSecret(),
      ).toThrowError(/RUNNER_SECRET_FILE: cannot read .*missing \(ENOENT\)/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
    expect(() =>
      parseConfig({ RUNNER_SECRET: 'a-secret-of-enough-length', RUNNER_SECRET_FILE: '/run/secrets/x' }),
    ).toThrowError(/not both/);
  });

  it('trusts X-Forwarded-For only when TRUST_PROXY says so', () => {
    expect(parseConfig({}).trustProxy).toBe(false);
    expect(parseConfig({ TRUST_PROXY: 'true' }).trustProxy).toBe(true);
    expect(parseConfig({ TRUST_PROXY: '0' }).trustProxy).toBe(false);
    expect(() => parseConfig({ TRUST_PROXY: 'yes please' })).toThrowError(/TRUST_PROXY/);
  });

  it('takes the first admin from ADMIN_EMAIL and ADMIN_PASSWORD, which go together', () => {
    expect(parseConfig({}).firstAdmin).toBeNull();
    expect(
      parseConfig({ ADMIN_EMAIL: ' ada@example.com ', ADMIN_PASSWORD: 'a long secret' }).firstAdmin,
    ).toEqual({ email: 'ada@example.com', password: 'a long secret' });
    expect(() => parseConfig({ ADMIN_EMAIL: 'ada@example.com' })).toThrowError(/set together/);
    expect(() => parseConfig({ ADMIN_PASSWORD: 'a long secret' })).toThrowError(/set together/);
  });

  it('sends no mail without SMTP_HOST; with it, needs the sender and the public address for links', () => {
    expect(parseConfig({}).mail).toBeNull();
    const smtp = { SMTP_HOST: 'mail.example.org', SMTP_FROM: 'Academy <academy@example.org>' };
    const mail = parseConfig({ ...smtp, PUBLIC_URL: 'https://academy.example.org/' }).mail;
    expect(mail).toMatchObject({
      host: 'mail.example.org',
      port: 587,
      secure: false,
      from: 'Academy <academy@example.org>',
      publicUrl: 'https://academy.example.org',
    });
    expect(mail?.password()).toBeUndefined();
    expect(() => parseConfig(smtp)).toThrowError(/SMTP_HOST needs SMTP_FROM .* and PUBLIC_URL/);
    expect(() =>
      parseConfig({ SMTP_HOST: 'mail.example.org', PUBLIC_URL: 'https://a.example' }),
    ).toThrowError(/SMTP_FROM/);
    expect(() => parseConfig({ ...smtp, PUBLIC_URL: 'academy.example.org' })).toThrowError(/PUBLIC_URL/);
    expect(
      parseConfig({ ...smtp, PUBLIC_URL: 'https://a.example', SMTP_PORT: '465', SMTP_SECURE: 'true' }).mail,
    ).toMatchObject({ port: 465, secure: true });
  });

  it('reads the SMTP password from SMTP_PASSWORD or the file SMTP_PASSWORD_FILE names, never both', () => {
    const base = {
      SMTP_HOST: 'mail.example.org',
      SMTP_FROM: 'a@example.org',
      PUBLIC_URL: 'https://a.example',
    };
    expect(parseConfig({ ...base, SMTP_USER: 'academy', SMTP_PASSWORD: 'from env' }).mail).toMatchObject({
      user: 'academy',
    });
    expect(parseConfig({ ...base, SMTP_PASSWORD: 'from env' }).mail?.password()).toBe('from env');
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'academy-config-'));
    try {
      const file = path.join(dir, 'smtp_password');
      fs.writeFileSync(file, '  from a file \n');
      expect(parseConfig({ ...base, SMTP_PASSWORD_FILE: file }).mail?.password()).toBe('from a file');
      expect(() =>
        parseConfig({ ...base, SMTP_PASSWORD_FILE: path.join(dir, 'missing') }).mail?.password(),
      ).toThrowError(/SMTP_PASSWORD_FILE: cannot read .*missing \(ENOENT\)/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
    expect(() =>
      parseConfig({ ...base, SMTP_PASSWORD: 'x', SMTP_PASSWORD_FILE: '/run/secrets/x' }),
    ).toThrowError(/not both/);
  });

  it('names the variable that is wrong', () => {
    expect(() => parseConfig({ PORT: 'eighty' })).toThrowError(ConfigError);
    expect(() => parseConfig({ PORT: '70000' })).toThrowError(/PORT/);
    expect(() => parseConfig({ DATABASE_URL: 'postgres://x' })).toThrowError(
      /DATABASE_URL: must be a SQLite file URL/,
    );
    expect(() => parseConfig({ PORT: '0', TRUST_PROXY: 'maybe' })).toThrowError(
      /^Invalid environment: PORT: .+; TRUST_PROXY: must be true or false$/,
    );
  });
});
