/**
 * DVC's configuration files, `.dvc/config` (committed) and `.dvc/config.local` (not), in the INI
 * dialect DVC writes with configobj:
 *
 *   [core]
 *       remote = storage
 *   ['remote "storage"']
 *       url = /srv/dvc-storage
 *
 * labkit reads `core.remote`, `cache.type`, `cache.dir` and the remotes' `url`, and writes the
 * sections `labkit data remote` changes, keeping every other section and key as they were.
 */
import fs from 'node:fs';
import path from 'node:path';

export type ConfigSections = Map<string, Map<string, string>>;

function unquote(text: string): string {
  const trimmed = text.trim();
  if (trimmed.length >= 2 && (trimmed[0] === "'" || trimmed[0] === '"') && trimmed.at(-1) === trimmed[0]) {
    return trimmed.slice(1, -1);
  }
  return trimmed;
}

/** Reads the sections of one config file (missing file: none). */
export function parseConfig(text: string, file: string): ConfigSections {
  const sections: ConfigSections = new Map();
  let current: Map<string, string> | undefined;
  for (const [index, rawLine] of text.split(/\r?\n/).entries()) {
    const line = rawLine.trim();
    if (line === '' || line.startsWith('#') || line.startsWith(';')) continue;
    const header = /^\[(.*)\]$/.exec(line);
    if (header) {
      const name = unquote(header[1] ?? '').replace(/\s+/g, ' ');
      current = sections.get(name) ?? new Map();
      sections.set(name, current);
      continue;
    }
    const equals = line.indexOf('=');
    if (equals === -1 || !current) {
      throw new Error(`${file}, line ${index + 1}: expected "[section]" or "key = value", found "${line}".`);
    }
    current.set(line.slice(0, equals).trim(), unquote(line.slice(equals + 1)));
  }
  return sections;
}

/** The text of a config file, as DVC writes it (`[core]` first). */
export function renderConfig(sections: ConfigSections): string {
  const lines: string[] = [];
  const ordered = [...sections].sort(([a], [b]) => Number(b === 'core') - Number(a === 'core'));
  for (const [name, values] of ordered) {
    if (values.size === 0) continue;
    lines.push(name.includes(' ') ? `['${name}']` : `[${name}]`);
    for (const [key, value] of values) lines.push(`    ${key} = ${value}`);
  }
  return lines.length ? `${lines.join('\n')}\n` : '';
}

export function remoteSection(name: string): string {
  return `remote "${name}"`;
}

/** The merged configuration of a repository: `config.local` over `config`. */
export class DvcConfig {
  private constructor(
    readonly dvcDir: string,
    private readonly merged: ConfigSections,
  ) {}

  static load(dvcDir: string): DvcConfig {
    const merged: ConfigSections = new Map();
    for (const name of ['config', 'config.local']) {
      const file = path.join(dvcDir, name);
      if (!fs.existsSync(file)) continue;
      for (const [section, values] of parseConfig(fs.readFileSync(file, 'utf8'), file)) {
        const into = merged.get(section) ?? new Map<string, string>();
        for (const [key, value] of values) into.set(key, value);
        merged.set(section, into);
      }
    }
    return new DvcConfig(dvcDir, merged);
  }

  get(section: string, key: string): string | undefined {
    return this.merged.get(section)?.get(key);
  }

  /** The remotes by name, with their `url` resolved (a relative folder is relative to `.dvc/`). */
  remotes(): { name: string; url: string }[] {
    const remotes: { name: string; url: string }[] = [];
    for (const [section, values] of this.merged) {
      const match = /^remote "(.+)"$/.exec(section);
      const url = values.get('url');
      if (match?.[1] && url !== undefined) remotes.push({ name: match[1], url });
    }
    return remotes;
  }

  /** Changes one key of `.dvc/config` (or `.dvc/config.local`), or removes it when `value` is undefined. */
  static set(dvcDir: string, section: string, key: string, value: string | undefined, local = false): void {
    const file = path.join(dvcDir, local ? 'config.local' : 'config');
    const sections = fs.existsSync(file) ? parseConfig(fs.readFileSync(file, 'utf8'), file) : new Map();
    const values: Map<string, string> = sections.get(section) ?? new Map();
    if (value === undefined) values.delete(key);
    else values.set(key, value);
    sections.set(section, values);
    fs.writeFileSync(file, renderConfig(sections));
  }
}
