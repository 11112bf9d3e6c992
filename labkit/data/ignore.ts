/**
 * `.dvcignore` at the repository's root: gitignore patterns for the files DVC leaves out of a
 * directory's hash (`*.tmp`, `/data/raw/`, `!keep.tmp`, `**` for any depth, a trailing `/` for
 * folders only). The last pattern that matches a path decides; a path inside an ignored folder is
 * ignored. labkit reads the root file only (DVC also reads one in each folder).
 */
import fs from 'node:fs';
import path from 'node:path';
import type { IgnoreFilter } from './hash';

type Rule = { regex: RegExp; negate: boolean; directoryOnly: boolean };

function globToRegex(glob: string): string {
  let out = '';
  for (let i = 0; i < glob.length; i++) {
    const char = glob[i]!;
    if (char === '*') {
      if (glob[i + 1] === '*') {
        const slashAfter = glob[i + 2] === '/';
        out += slashAfter ? '(?:.*/)?' : '.*';
        i += slashAfter ? 2 : 1;
      } else out += '[^/]*';
    } else if (char === '?') out += '[^/]';
    else if (char === '[') {
      const end = glob.indexOf(']', i + 1);
      if (end === -1) out += '\\[';
      else {
        out += `[${glob.slice(i + 1, end).replace(/^!/, '^').replace(/\\/g, '\\\\')}]`;
        i = end;
      }
    } else if (char === '\\' && i + 1 < glob.length) out += `\\${glob[++i]}`;
    else out += /[.+^${}()|\\]/.test(char) ? `\\${char}` : char;
  }
  return out;
}

/** Parses gitignore-style lines into rules. */
export function parseIgnore(text: string): Rule[] {
  const rules: Rule[] = [];
  for (const rawLine of text.split(/\r?\n/)) {
    let line = rawLine.replace(/(?<!\\)\s+$/, '');
    if (line === '' || line.startsWith('#')) continue;
    const negate = line.startsWith('!');
    if (negate) line = line.slice(1);
    const directoryOnly = line.endsWith('/');
    if (directoryOnly) line = line.slice(0, -1);
    const anchored = line.includes('/');
    if (line.startsWith('/')) line = line.slice(1);
    const body = globToRegex(line);
    rules.push({ regex: new RegExp(`^${anchored ? '' : '(?:.*/)?'}${body}$`), negate, directoryOnly });
  }
  return rules;
}

/** Whether `relpath` (from the root, `/`-separated) is ignored by the rules, its folders included. */
export function isIgnored(rules: readonly Rule[], relpath: string, isDirectory: boolean): boolean {
  const parts = relpath.split('/');
  for (let depth = 1; depth < parts.length; depth++) {
    if (decide(rules, parts.slice(0, depth).join('/'), true)) return true;
  }
  return decide(rules, relpath, isDirectory);
}

function decide(rules: readonly Rule[], relpath: string, isDirectory: boolean): boolean {
  let ignored = false;
  for (const rule of rules) {
    if (rule.directoryOnly && !isDirectory) continue;
    if (rule.regex.test(relpath)) ignored = !rule.negate;
  }
  return ignored;
}

/** The filter for a repository's root `.dvcignore`, or undefined when there is none. */
export function dvcignoreFilter(root: string): IgnoreFilter | undefined {
  const file = path.join(root, '.dvcignore');
  if (!fs.existsSync(file)) return undefined;
  const rules = parseIgnore(fs.readFileSync(file, 'utf8'));
  if (rules.length === 0) return undefined;
  return (absolutePath, isDirectory) => {
    const relpath = path.relative(root, absolutePath).split(path.sep).join('/');
    if (relpath.startsWith('..')) return false;
    return isIgnored(rules, relpath, isDirectory);
  };
}
