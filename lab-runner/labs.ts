/**
 * What the runner needs to know about a lab: its sandbox (image, resources, starter files from
 * `labs/<id>/workspace/`) and its steps (checks, runs, timeouts), read through the shared lab loader
 * (api/lab-loader.ts), which validates the whole lab format.
 */
import path from 'node:path';
import { ContentError } from './api/content-error';
import { labIdSchema } from './api/lab-schema';
import { labExists, loadLab, readFolder, type Lab, type LabFile } from './api/lab-loader';
import { defaultSandboxResources, type SandboxResources, type StarterFile } from './drivers/driver';
import { RunnerError } from './errors';

export { labIdSchema };

export type LabSandbox = {
  id: string;
  image?: string;
  services: string[];
  resources: SandboxResources;
  timeLimitMinutes?: number;
  starterFiles: StarterFile[];
};

const maxStarterBytes = 20 * 1024 * 1024;

export class LabCatalog {
  constructor(private readonly labsDir: string) {}

  /** The whole lab, validated; RunnerError LAB_NOT_FOUND for an unknown id. */
  lab(labId: string): Lab {
    if (!labIdSchema.safeParse(labId).success) {
      throw new RunnerError('BAD_REQUEST', `"${labId}" is not a lab id (lowercase words joined by dashes).`);
    }
    if (!labExists(labId, this.labsDir))
      throw new RunnerError('LAB_NOT_FOUND', `There is no lab "${labId}".`);
    try {
      return loadLab(labId, { labsDir: this.labsDir, root: path.dirname(this.labsDir) });
    } catch (error) {
      if (error instanceof ContentError) throw new RunnerError('INTERNAL', error.message);
      throw error;
    }
  }

  /** Files of a folder inside the lab (`checks`, `solution/01`…). */
  files(lab: Lab, folder: string): LabFile[] {
    return readFolder(path.join(lab.dir, folder));
  }

  get(labId: string): LabSandbox {
    const lab = this.lab(labId);
    const starterFiles = readFolder(path.join(lab.dir, 'workspace'));
    if (starterFiles.reduce((sum, f) => sum + f.content.length, 0) > maxStarterBytes) {
      throw new RunnerError(
        'INTERNAL',
        `labs/${labId}/workspace is larger than ${maxStarterBytes / 1024 / 1024} MB`,
      );
    }
    return {
      id: lab.id,
      image: lab.image,
      services: lab.services,
      resources: { ...defaultSandboxResources, ...lab.resources },
      timeLimitMinutes: lab.timeLimitMinutes,
      starterFiles,
    };
  }
}
