/**
 * What the runner needs to know about a lab to make its sandbox: image, resources and starter
 * files, read from `labs/<id>/lab.yaml` and `labs/<id>/workspace/`. The full lab format (steps,
 * checks, solutions) is validated by the web app's lab loader; the runner reads only its part.
 */
import fs from 'node:fs';
import path from 'node:path';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { defaultSandboxResources, type SandboxResources, type StarterFile } from './drivers/driver';
import { RunnerError } from './server/errors';

export const labIdSchema = z
  .string()
  .regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, 'must be a kebab-case lab id')
  .max(64);

const resourcesSchema = z.strictObject({
  cpus: z.number().positive().max(8).optional(),
  memoryMb: z.number().int().min(128).max(16_384).optional(),
  diskMb: z.number().int().min(16).max(16_384).optional(),
  pids: z.number().int().min(32).max(4096).optional(),
  tmpMb: z.number().int().min(8).max(4096).optional(),
});

const labSandboxSchema = z.looseObject({
  id: labIdSchema,
  image: z.string().min(1).optional(),
  services: z.array(z.string()).default([]),
  resources: resourcesSchema.default({}),
  timeLimitMinutes: z
    .number()
    .positive()
    .max(24 * 60)
    .optional(),
});

export type LabSandbox = {
  id: string;
  image?: string;
  services: string[];
  resources: SandboxResources;
  timeLimitMinutes?: number;
  starterFiles: StarterFile[];
};

const maxStarterBytes = 20 * 1024 * 1024;

function readTree(dir: string, prefix = ''): StarterFile[] {
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .sort((a, b) => a.name.localeCompare(b.name))
    .flatMap((entry) => {
      const relative = prefix ? `${prefix}/${entry.name}` : entry.name;
      const absolute = path.join(dir, entry.name);
      if (entry.isDirectory()) return readTree(absolute, relative);
      if (!entry.isFile()) return [];
      const mode = fs.statSync(absolute).mode & 0o111 ? 0o755 : 0o644;
      return [{ path: relative, content: fs.readFileSync(absolute), mode }];
    });
}

export class LabCatalog {
  constructor(private readonly labsDir: string) {}

  get(labId: string): LabSandbox {
    if (!labIdSchema.safeParse(labId).success) {
      throw new RunnerError('BAD_REQUEST', `"${labId}" is not a lab id (lowercase words joined by dashes).`);
    }
    const labDir = path.join(this.labsDir, labId);
    const file = path.join(labDir, 'lab.yaml');
    if (!fs.existsSync(file)) throw new RunnerError('LAB_NOT_FOUND', `There is no lab "${labId}".`);
    const parsed = labSandboxSchema.safeParse(parseYaml(fs.readFileSync(file, 'utf8')));
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw new RunnerError(
        'INTERNAL',
        `labs/${labId}/lab.yaml: ${issue?.path.join('.')}: ${issue?.message}`,
      );
    }
    const starterFiles = readTree(path.join(labDir, 'workspace'));
    if (starterFiles.reduce((sum, f) => sum + f.content.length, 0) > maxStarterBytes) {
      throw new RunnerError(
        'INTERNAL',
        `labs/${labId}/workspace is larger than ${maxStarterBytes / 1024 / 1024} MB`,
      );
    }
    return {
      id: parsed.data.id,
      image: parsed.data.image,
      services: parsed.data.services,
      resources: { ...defaultSandboxResources, ...parsed.data.resources },
      timeLimitMinutes: parsed.data.timeLimitMinutes,
      starterFiles,
    };
  }
}
