/**
 * Parameters files (`params.yaml` and the others a stage names), read once per command and kept
 * with Python's view of their numbers. DVC reads YAML, JSON, TOML and Python files; labkit reads
 * YAML and JSON (JSON through the YAML reader, since YAML 1.2 contains it, so `1.0` stays a float)
 * and says so for the others.
 */
import fs from 'node:fs';
import path from 'node:path';
import { isPyMapping, type PyValue } from '../data/python-json';
import { parseYaml, YamlFileError } from '../data/yaml-file';

export const defaultParamsFile = 'params.yaml';

export class ParamsFiles {
  private readonly cache = new Map<string, { [key: string]: PyValue } | undefined>();

  /** The file's top-level mapping, or undefined when it does not exist. */
  read(absolute: string, display: string): { [key: string]: PyValue } | undefined {
    if (this.cache.has(absolute)) return this.cache.get(absolute);
    let text: string;
    try {
      text = fs.readFileSync(absolute, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
        this.cache.set(absolute, undefined);
        return undefined;
      }
      throw error;
    }
    const extension = path.extname(absolute).toLowerCase();
    if (extension === '.toml' || extension === '.py') {
      throw new YamlFileError(
        `${display}: labkit reads YAML and JSON parameters files; ${extension.slice(1).toUpperCase()} files are not supported yet.`,
      );
    }
    const value = parseYaml(text, display);
    if (value !== null && !isPyMapping(value)) {
      throw new YamlFileError(`${display}: a parameters file holds a mapping at the top level.`);
    }
    const mapping = value ?? {};
    this.cache.set(absolute, mapping);
    return mapping;
  }

  /** Forgets what was read (after a stage or `exp run -S` changed a file). */
  clear(): void {
    this.cache.clear();
  }
}
