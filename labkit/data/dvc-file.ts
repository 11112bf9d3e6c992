/**
 * `.dvc` files: the small YAML file `dvc add` writes beside a tracked file or folder, committed to
 * git in its place. DVC 3 writes, in this order:
 *
 *   outs:
 *   - md5: 153aad06d376b6595932470e459ef42a.dir
 *     size: 8437363
 *     nfiles: 2
 *     hash: md5
 *     path: prepared
 *
 * `path` is relative to the `.dvc` file's folder. Other fields DVC accepts (`desc`, `type`,
 * `labels`, `meta`, `cache`, `remote`, `push`…) are kept when labkit rewrites the file; import
 * stages (`deps:`, from `dvc import`) are read but not supported.
 */
import fs from 'node:fs';
import path from 'node:path';
import YAML from 'yaml';
import * as z from 'zod';
import type { HashInfo } from './hash';
import { parseYaml, validate } from './yaml-file';

const outSchema = z.looseObject({
  path: z.string().min(1),
  md5: z.string().optional(),
  size: z.number().int().nonnegative().optional(),
  nfiles: z.number().int().nonnegative().optional(),
  hash: z.string().optional(),
  isexec: z.boolean().optional(),
  cache: z.boolean().optional(),
  desc: z.string().optional(),
});

export const dvcFileSchema = z.looseObject({
  outs: z.array(outSchema).min(1, 'a .dvc file lists at least one output'),
  deps: z.array(z.unknown()).optional(),
  frozen: z.boolean().optional(),
  desc: z.string().optional(),
});

export type DvcFileOut = z.output<typeof outSchema>;

export type DvcFile = {
  /** The `.dvc` file, absolute. */
  file: string;
  outs: DvcFileOut[];
  isImport: boolean;
};

/** Reads and checks a `.dvc` file. */
export function readDvcFile(file: string, displayName = file): DvcFile {
  const value = validate(dvcFileSchema, parseYaml(fs.readFileSync(file, 'utf8'), displayName), displayName);
  return { file, outs: value.outs, isImport: (value.deps?.length ?? 0) > 0 };
}

/** The hash an out records, or undefined when it has none yet. */
export function hashInfoOf(out: DvcFileOut): HashInfo | undefined {
  if (!out.md5) return undefined;
  const info: HashInfo = { md5: out.md5, size: out.size ?? 0 };
  if (out.nfiles !== undefined) info.nfiles = out.nfiles;
  if (out.isexec) info.isexec = true;
  return info;
}

/** The fields DVC 3 writes for a hash, in its order: md5, size, nfiles, isexec, hash. */
function hashFields(info: HashInfo): [string, unknown][] {
  const fields: [string, unknown][] = [
    ['md5', info.md5],
    ['size', info.size],
  ];
  if (info.nfiles !== undefined) fields.push(['nfiles', info.nfiles]);
  if (info.isexec) fields.push(['isexec', true]);
  fields.push(['hash', 'md5']);
  return fields;
}

/**
 * Writes the `.dvc` file for `outPath` (relative to the file's folder) with `info`; an existing
 * file keeps its other fields, comments and order.
 */
export function writeDvcFile(file: string, outPath: string, info: HashInfo): void {
  if (fs.existsSync(file)) {
    const doc = YAML.parseDocument(fs.readFileSync(file, 'utf8'));
    const outs = (doc.toJS() as { outs?: { path?: string }[] } | null)?.outs ?? [];
    const index = outs.findIndex((out) => out.path === outPath);
    if (index !== -1) {
      for (const key of ['md5', 'size', 'nfiles', 'isexec', 'hash']) doc.deleteIn(['outs', index, key]);
      const out = doc.getIn(['outs', index]) as YAML.YAMLMap;
      const rest = out.items.splice(0);
      for (const [key, value] of hashFields(info)) out.set(key, value);
      out.items.push(...rest);
      fs.writeFileSync(file, doc.toString({ indentSeq: false }));
      return;
    }
  }
  const out = Object.fromEntries([...hashFields(info), ['path', outPath]]);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, YAML.stringify({ outs: [out] }, { indentSeq: false }));
}
