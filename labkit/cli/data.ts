/**
 * `labkit data …`: DVC's data versioning — `init`, `add`, `status`, `checkout`, `commit`, `push`,
 * `pull`, `fetch`, `gc`, `diff` and `remote add|list|default` — on DVC's own files (`.dvc`,
 * `dvc.lock`, `.dvc/config`, `.dvc/cache`), so `dvc` works on the same repository afterwards.
 * Remotes are local folders. Also the plumbing `labkit pipeline` shares: running a command group
 * and turning the engine's errors into messages and exit codes (0 done, 1 failed, 2 usage).
 */
import path from 'node:path';
import { AddError, addPath } from '../data/add';
import { MissingCacheError } from '../data/cache';
import { DvcConfig, remoteSection } from '../data/config';
import { diffSides, type DiffEntry } from '../data/diff';
import { writeDvcFile } from '../data/dvc-file';
import { allCommits, GitError, gitTopLevel, resolveRevision } from '../data/git';
import {
  checkoutOutputs,
  collectGarbage,
  outputState,
  recordedHashes,
  usedObjects,
  type TrackedOutput,
} from '../data/outputs';
import { missingFrom, RemoteError, remoteFolder, resolveRemote, transfer } from '../data/remote';
import { DvcRepo, NotADvcRepoError } from '../data/repo';
import { YamlFileError } from '../data/yaml-file';
import { buildDag, PipelineGraphError } from '../pipelines/dag';
import { ExperimentStore, OverrideError } from '../pipelines/experiments';
import { PipelineFileError } from '../pipelines/expand';
import { InterpolationError } from '../pipelines/interpolate';
import { lockPathFor, writeLockStage } from '../pipelines/lockfile';
import { loadProject, type Project } from '../pipelines/project';
import { ReproLockedError } from '../pipelines/run-state';
import { fullEntry, snapshotOuts, StageError } from '../pipelines/snapshot';
import { stageStatus, statusLines } from '../pipelines/stage-status';
import { TargetError } from '../pipelines/targets';
import { recordedAt, trackedOutputs, workspaceSide } from '../pipelines/tracked';
import { isHelp, parseOptions } from './command';
import { CliError, processIo, UsageError, type CliIo } from './io';

// ── the group runner shared with `labkit pipeline` ──────────────────────────────────────────────

export type DvcSubcommand = {
  usage: string;
  run: (args: string[], io: CliIo, cwd: string) => Promise<number>;
};

export type DvcGroup = { name: string; usage: string; subcommands: Record<string, DvcSubcommand> };

const exitNote =
  'Exit status: 0 done, 1 something failed (the message says what and where), 2 the command line is wrong.';

/** Errors of the engine that are the learner's to fix: printed as they are, exit 1. */
const knownErrors = [
  AddError,
  GitError,
  InterpolationError,
  MissingCacheError,
  NotADvcRepoError,
  OverrideError,
  PipelineFileError,
  PipelineGraphError,
  RemoteError,
  ReproLockedError,
  StageError,
  TargetError,
  YamlFileError,
];

/** Runs `labkit <group> <subcommand> …` (subcommands may be groups of their own). */
export async function runDvcGroup(group: DvcGroup, args: string[], io: CliIo, cwd: string): Promise<number> {
  const [name, ...rest] = args;
  const usage = `${group.usage}\n\n${exitNote}`;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    if (name) io.out(usage);
    else io.err(usage);
    return name ? 0 : 2;
  }
  const subcommand = Object.hasOwn(group.subcommands, name) ? group.subcommands[name] : undefined;
  if (!subcommand) {
    io.err(`${group.name}: there is no "${name}" subcommand.\n\n${usage}`);
    return 2;
  }
  const label = `${group.name} ${name}`;
  if (isHelp(rest) && !subcommand.usage.startsWith('group:')) {
    io.out(`${subcommand.usage}\n\n${exitNote}`);
    return 0;
  }
  try {
    return await subcommand.run(rest, io, cwd);
  } catch (error) {
    if (error instanceof UsageError) {
      io.err(`${label}: ${error.message}\n\n${subcommand.usage}`);
      return 2;
    }
    if (error instanceof CliError) {
      io.err(`${label}: ${error.message}`);
      return error.exitCode;
    }
    if (knownErrors.some((type) => error instanceof type)) {
      io.err(`${label}: ${(error as Error).message}`);
      return 1;
    }
    throw error;
  }
}

/** A nested group as a subcommand (`labkit data remote add`). */
export function nestedGroup(group: DvcGroup): DvcSubcommand {
  return { usage: `group:${group.usage}`, run: (args, io, cwd) => runDvcGroup(group, args, io, cwd) };
}

export function noPositionals(positionals: string[]): void {
  if (positionals.length) throw new UsageError(`Unexpected argument "${positionals[0]}".`);
}

/** The repository, every pipeline and data source in it, and its graph. */
export function loadWorkspace(cwd: string): {
  repo: DvcRepo;
  project: Project;
  dag: ReturnType<typeof buildDag>;
} {
  const repo = DvcRepo.require(cwd);
  const project = loadProject(repo);
  const dag = buildDag(project.stages, project.dataSources, repo.root);
  return { repo, project, dag };
}

/** The outputs the targets name (files, folders, `.dvc` files or stages); all without targets. */
function selectOutputs(
  outputs: TrackedOutput[],
  targets: string[],
  cwd: string,
  repo: DvcRepo,
): TrackedOutput[] {
  if (targets.length === 0) return outputs;
  const chosen = new Set<TrackedOutput>();
  for (const target of targets) {
    const absolute = path.resolve(cwd, target);
    const asDvcFile = absolute.endsWith('.dvc') ? repo.relative(absolute) : undefined;
    const matches = outputs.filter(
      (output) =>
        output.owner === target ||
        output.owner === asDvcFile ||
        output.absolute === absolute ||
        output.absolute.startsWith(`${absolute}${path.sep}`),
    );
    if (matches.length === 0) throw new CliError(`'${target}' is not a tracked output, .dvc file or stage.`);
    for (const match of matches) chosen.add(match);
  }
  return outputs.filter((output) => chosen.has(output));
}

function gitAddHint(io: CliIo, repo: DvcRepo, files: string[]): void {
  if (files.length === 0 || !gitTopLevel(repo.root)) return;
  io.out('');
  io.out('To track the changes with git, run:');
  io.out('');
  io.out(`\tgit add ${[...new Set(files)].sort().join(' ')}`);
}

const plural = (count: number, word: string) => `${count} ${word}${count === 1 ? '' : 's'}`;

// ── init, add ───────────────────────────────────────────────────────────────────────────────────

const init: DvcSubcommand = {
  usage: `Usage: labkit data init

Makes the current folder a DVC repository: .dvc/ (config, cache, a .gitignore for the cache) and
.dvcignore, as \`dvc init\` does.`,
  async run(args, io, cwd) {
    const { positionals } = parseOptions(args, {});
    noPositionals(positionals);
    if (!DvcRepo.init(cwd))
      throw new CliError(
        `'${path.join(cwd, '.dvc')}' exists. Use \`dvc init -f\` semantics by hand if you mean to start over.`,
      );
    io.out('Initialized DVC repository.');
    if (gitTopLevel(cwd)) {
      io.out('');
      io.out('You can now commit the changes to git:');
      io.out('');
      io.out('\tgit add .dvc .dvcignore && git commit -m "Initialize DVC"');
    }
    return 0;
  },
};

const add: DvcSubcommand = {
  usage: `Usage: labkit data add PATH…

Starts tracking files or folders: each is stored in the cache (.dvc/cache), PATH.dvc is written
beside it (commit that to git) and /PATH goes into its folder's .gitignore. Run it again after
changing the data to record the new version.`,
  async run(args, io, cwd) {
    const { positionals } = parseOptions(args, {});
    if (positionals.length === 0) throw new UsageError('Name the files or folders to add.');
    const { repo, project } = loadWorkspace(cwd);
    const stageOuts = new Map(
      project.stages.flatMap((stage) => stage.outs.map((out) => [out.absolute, stage.addressing] as const)),
    );
    const gitRoot = gitTopLevel(repo.root);
    const files: string[] = [];
    try {
      for (const target of positionals) {
        const absolute = path.resolve(cwd, target);
        const owner = stageOuts.get(absolute);
        if (owner)
          throw new CliError(
            `output '${repo.relative(absolute)}' is already specified in stage: '${owner}'.`,
          );
        const added = addPath(repo, absolute, gitRoot);
        files.push(repo.relative(added.dvcFile));
        if (added.gitignore) files.push(repo.relative(added.gitignore));
        io.out(
          `Added ${repo.relative(absolute)} (${added.info.md5}${added.info.nfiles !== undefined ? `, ${plural(added.info.nfiles, 'file')}` : ''})`,
        );
      }
    } finally {
      repo.close();
    }
    gitAddHint(io, repo, files);
    return 0;
  },
};

// ── status ──────────────────────────────────────────────────────────────────────────────────────

const status: DvcSubcommand = {
  usage: `Usage: labkit data status [TARGET…] [-c] [-r REMOTE] [--json]

Like \`dvc status\`: which stages would run again and why, and which .dvc-tracked data differs from
what its .dvc file records (modified, deleted, not in cache).
  -c, --cloud    compare the cache with the remote instead: what push would send (new) and what
                 pull would fetch (missing)
  -r, --remote   the remote to compare with (default: the default remote)
  --json         the same as JSON`,
  async run(args, io, cwd) {
    const { values, positionals } = parseOptions(args, {
      cloud: { type: 'boolean', short: 'c' },
      remote: { type: 'string', short: 'r' },
      json: { type: 'boolean' },
    });
    const { repo, project } = loadWorkspace(cwd);
    const outputs = selectOutputs(trackedOutputs(project), positionals, cwd, repo);
    if (values.cloud) {
      const remote = resolveRemote(repo, values.remote);
      const hashes = recordedHashes(outputs);
      const toPush = missingFrom(remote.store, hashes, repo.cache.store);
      const toPull = missingFrom(repo.cache.store, hashes, remote.store);
      if (values.json) io.out(JSON.stringify({ new: toPush, missing: toPull }, null, 2));
      else if (toPush.length === 0 && toPull.length === 0)
        io.out(`Cache and remote '${remote.name}' are in sync.`);
      else {
        const byHash = new Map(outputs.filter((o) => o.hash).map((o) => [o.hash!.md5, o.display]));
        for (const md5 of toPush) io.out(`\tnew:                ${byHash.get(md5) ?? md5}`);
        for (const md5 of toPull) io.out(`\tmissing:            ${byHash.get(md5) ?? md5}`);
      }
      return 0;
    }
    const context = { repo, files: project.paramsFiles, hashes: new Map() };
    const report: Record<string, string[]> = {};
    const json: Record<string, unknown> = {};
    for (const stage of project.stages) {
      if (positionals.length && !outputs.some((output) => output.owner === stage.addressing)) continue;
      const result = stageStatus(stage, project.locks.get(stage.dvcfile)?.stages.get(stage.name), context);
      if (!result.changed) continue;
      report[stage.addressing] = statusLines(result);
      json[stage.addressing] = {
        command: result.commandChanged,
        deps: result.deps,
        params: result.params,
        outs: result.outs,
        alwaysChanged: result.alwaysChanged,
      };
    }
    for (const source of project.dataSources) {
      const changed = outputs
        .filter((output) => output.owner === source.addressing)
        .flatMap((output) => {
          const state = outputState(repo, output);
          return state ? [{ path: output.display, state }] : [];
        });
      if (changed.length === 0) continue;
      report[source.addressing] = [
        '\tchanged outs:',
        ...changed.map((c) => `\t\t${`${c.state}:`.padEnd(20)}${c.path}`),
      ];
      json[source.addressing] = { outs: changed };
    }
    repo.close();
    if (values.json) {
      io.out(JSON.stringify(json, null, 2));
      return 0;
    }
    if (project.stages.length === 0 && project.dataSources.length === 0) {
      io.out('There are no data or pipelines tracked in this project yet.');
      return 0;
    }
    const entries = Object.entries(report);
    if (entries.length === 0) io.out('Data and pipelines are up to date.');
    for (const [owner, lines] of entries) {
      io.out(`${owner}:`);
      for (const line of lines) io.out(line);
    }
    return 0;
  },
};

// ── checkout, commit ────────────────────────────────────────────────────────────────────────────

const checkout: DvcSubcommand = {
  usage: `Usage: labkit data checkout [TARGET…]

Makes the tracked data in the workspace match the .dvc files and dvc.lock (after \`git checkout\`,
say), from the cache: changed files are replaced, missing ones restored, files a tracked folder
does not list removed. TARGET: a tracked file or folder, a .dvc file or a stage (default: all).`,
  async run(args, io, cwd) {
    const { positionals } = parseOptions(args, {});
    const { repo, project } = loadWorkspace(cwd);
    const outputs = selectOutputs(trackedOutputs(project), positionals, cwd, repo);
    const summary = checkoutOutputs(repo, outputs);
    repo.close();
    const letters = { added: 'A', modified: 'M', deleted: 'D' } as const;
    for (const change of summary.changes)
      io.out(`${letters[change.change]}       ${change.display}${change.isDir ? '/' : ''}`);
    const counts = (['added', 'modified', 'deleted'] as const)
      .map((kind) => [kind, summary.changes.filter((change) => change.change === kind).length] as const)
      .filter(([, count]) => count > 0)
      .map(([kind, count]) => `${plural(count, 'file')} ${kind}`);
    if (counts.length) io.out(counts.join(' and '));
    if (summary.failed.length) {
      throw new CliError(
        `Checkout failed for following targets:\n${summary.failed.join('\n')}\nIs your cache up to date? Run \`labkit data pull\` to fetch them from the remote.`,
      );
    }
    return 0;
  },
};

const commit: DvcSubcommand = {
  usage: `Usage: labkit data commit [TARGET…]

Records the workspace as it is now, without running anything: tracked data is stored in the cache
and its .dvc file updated; stages get their dvc.lock entry rewritten from their current
dependencies, parameters and outputs (as \`dvc commit\` does after changing outputs by hand).`,
  async run(args, io, cwd) {
    const { positionals } = parseOptions(args, {});
    const { repo, project } = loadWorkspace(cwd);
    const outputs = selectOutputs(trackedOutputs(project), positionals, cwd, repo);
    const owners = new Set(outputs.map((output) => output.owner));
    const files: string[] = [];
    try {
      for (const source of project.dataSources) {
        if (!owners.has(source.addressing)) continue;
        for (const out of source.outs) {
          const hashed = repo.hasher.hashPath(out.absolute);
          if (!hashed)
            throw new CliError(
              `output '${repo.relative(out.absolute)}' does not exist (${source.addressing}).`,
            );
          if (hashed.info.md5 === out.hash?.md5 && repo.cache.store.isComplete(hashed.info.md5)) continue;
          if (out.cache) repo.cache.save(out.absolute, hashed.info, hashed.tree);
          writeDvcFile(source.file, out.path, hashed.info);
          files.push(source.addressing);
          io.out(`Committed ${repo.relative(out.absolute)}`);
        }
      }
      const context = { repo, files: project.paramsFiles, hashes: new Map() };
      for (const stage of project.stages) {
        if (!owners.has(stage.addressing)) continue;
        const outs = snapshotOuts(stage, context);
        for (const out of stage.outs) {
          const hashed = outs.get(out.path);
          if (hashed && out.cache) repo.cache.save(out.absolute, hashed.info, hashed.tree);
        }
        const lockFile = lockPathFor(stage.dvcfile);
        const { changed } = writeLockStage(
          lockFile,
          repo.relative(lockFile),
          stage.name,
          fullEntry(stage, context, outs),
        );
        if (changed) {
          files.push(repo.relative(lockFile));
          io.out(`Updating lock file '${repo.relative(lockFile)}' (stage '${stage.addressing}')`);
        }
      }
    } finally {
      repo.close();
    }
    if (files.length === 0) io.out('Nothing to commit: the records match the workspace.');
    gitAddHint(io, repo, files);
    return 0;
  },
};

// ── push, pull, fetch ───────────────────────────────────────────────────────────────────────────

const transferOptions = { remote: { type: 'string', short: 'r' } } as const;

const push: DvcSubcommand = {
  usage: `Usage: labkit data push [TARGET…] [-r REMOTE]

Copies the cached data the workspace's .dvc files and dvc.lock record to the remote (the default
one, or -r REMOTE), skipping what is there already.`,
  async run(args, io, cwd) {
    const { values, positionals } = parseOptions(args, transferOptions);
    const { repo, project } = loadWorkspace(cwd);
    const remote = resolveRemote(repo, values.remote);
    const outputs = selectOutputs(trackedOutputs(project), positionals, cwd, repo);
    const result = transfer(repo.cache.store, remote.store, recordedHashes(outputs));
    if (result.transferred === 0 && result.missing.length === 0) io.out('Everything is up to date.');
    else if (result.transferred) io.out(`${plural(result.transferred, 'file')} pushed`);
    if (result.missing.length) {
      throw new CliError(
        `${plural(result.missing.length, 'file')} could not be pushed: not in the cache (${result.missing.slice(0, 3).join(', ')}${result.missing.length > 3 ? ', …' : ''}).`,
      );
    }
    return 0;
  },
};

async function fetchObjects(
  io: CliIo,
  repo: DvcRepo,
  outputs: TrackedOutput[],
  remoteName?: string,
): Promise<number> {
  const remote = resolveRemote(repo, remoteName);
  const result = transfer(remote.store, repo.cache.store, recordedHashes(outputs));
  if (result.missing.length) {
    io.err(
      `WARNING: ${plural(result.missing.length, 'file')} not found on remote '${remote.name}' (${result.missing.slice(0, 3).join(', ')}${result.missing.length > 3 ? ', …' : ''}).`,
    );
  }
  return result.transferred;
}

const fetch: DvcSubcommand = {
  usage: `Usage: labkit data fetch [TARGET…] [-r REMOTE]

Copies the data the workspace records from the remote into the cache, without touching the
workspace (\`labkit data checkout\` then places it).`,
  async run(args, io, cwd) {
    const { values, positionals } = parseOptions(args, transferOptions);
    const { repo, project } = loadWorkspace(cwd);
    const outputs = selectOutputs(trackedOutputs(project), positionals, cwd, repo);
    const fetched = await fetchObjects(io, repo, outputs, values.remote);
    io.out(fetched ? `${plural(fetched, 'file')} fetched` : 'Everything is up to date.');
    return 0;
  },
};

const pull: DvcSubcommand = {
  usage: `Usage: labkit data pull [TARGET…] [-r REMOTE]

fetch, then checkout: brings the data the workspace records from the remote into the cache and the
workspace.`,
  async run(args, io, cwd) {
    const { values, positionals } = parseOptions(args, transferOptions);
    const { repo, project } = loadWorkspace(cwd);
    const outputs = selectOutputs(trackedOutputs(project), positionals, cwd, repo);
    const fetched = await fetchObjects(io, repo, outputs, values.remote);
    const summary = checkoutOutputs(repo, outputs);
    repo.close();
    const letters = { added: 'A', modified: 'M', deleted: 'D' } as const;
    for (const change of summary.changes)
      io.out(`${letters[change.change]}       ${change.display}${change.isDir ? '/' : ''}`);
    const parts = [];
    if (summary.changes.length) parts.push(`${plural(summary.changes.length, 'file')} changed`);
    if (fetched) parts.push(`${plural(fetched, 'file')} fetched`);
    io.out(parts.length ? parts.join(' and ') : 'Everything is up to date.');
    if (summary.failed.length) {
      throw new CliError(
        `Checkout failed for following targets:\n${summary.failed.join('\n')}\nIs your cache up to date?`,
      );
    }
    return 0;
  },
};

// ── gc ──────────────────────────────────────────────────────────────────────────────────────────

const gc: DvcSubcommand = {
  usage: `Usage: labkit data gc -w|--all-commits [--all-experiments] [-c [-r REMOTE]]

Removes from the cache what nothing references any more. What is kept must be said:
  -w, --workspace      what the workspace's .dvc files and dvc.lock files reference
  --all-commits        also what any git commit references (read with git)
  --all-experiments    also the outputs of recorded experiments (labkit pipeline exp show)
  -c, --cloud          also remove the unreferenced objects from the remote
  -r, --remote         that remote (default: the default remote)`,
  async run(args, io, cwd) {
    const { values, positionals } = parseOptions(args, {
      workspace: { type: 'boolean', short: 'w' },
      'all-commits': { type: 'boolean' },
      'all-experiments': { type: 'boolean' },
      cloud: { type: 'boolean', short: 'c' },
      remote: { type: 'string', short: 'r' },
      force: { type: 'boolean', short: 'f' },
    });
    noPositionals(positionals);
    if (!values.workspace && !values['all-commits']) {
      throw new UsageError('Either of `-w|--workspace` or `--all-commits` needs to be set.');
    }
    const { repo, project } = loadWorkspace(cwd);
    const store = repo.cache.store;
    const used = usedObjects(store, trackedOutputs(project));
    if (values['all-commits']) {
      const gitRoot = gitTopLevel(repo.root);
      if (!gitRoot) throw new CliError('--all-commits needs a git repository.');
      for (const commitId of allCommits(gitRoot)) {
        for (const { info } of recordedAt(repo, gitRoot, commitId).values()) {
          for (const md5 of store.objectsOf(info.md5)) used.add(md5);
        }
      }
    }
    if (values['all-experiments']) {
      for (const experiment of new ExperimentStore(repo).list()) {
        for (const outputs of Object.values(experiment.outputs)) {
          for (const md5 of Object.values(outputs))
            for (const object of store.objectsOf(md5)) used.add(object);
        }
      }
    }
    const removed = collectGarbage(store, used);
    io.out(
      removed ? `Removed ${plural(removed, 'object')} from cache.` : "No unused 'local' cache to remove.",
    );
    if (values.cloud) {
      const remote = resolveRemote(repo, values.remote);
      const fromRemote = collectGarbage(remote.store, used);
      io.out(
        fromRemote
          ? `Removed ${plural(fromRemote, 'object')} from remote '${remote.name}'.`
          : `No unused cache to remove from remote '${remote.name}'.`,
      );
    }
    return 0;
  },
};

// ── diff ────────────────────────────────────────────────────────────────────────────────────────

const diff: DvcSubcommand = {
  usage: `Usage: labkit data diff [A_REV [B_REV]] [--json]

What changed in the tracked data between two git revisions (default: HEAD and the workspace):
files and folders added, deleted and modified, folders also file by file.`,
  async run(args, io, cwd) {
    const { values, positionals } = parseOptions(args, { json: { type: 'boolean' } });
    if (positionals.length > 2) throw new UsageError('Give at most two revisions.');
    const { repo, project } = loadWorkspace(cwd);
    const gitRoot = gitTopLevel(repo.root);
    if (!gitRoot)
      throw new CliError(
        'labkit data diff compares git revisions: this repository is not in a git work tree.',
      );
    const [aRev = 'HEAD', bRev] = positionals;
    resolveRevision(gitRoot, aRev);
    if (bRev) resolveRevision(gitRoot, bRev);
    const before = recordedAt(repo, gitRoot, aRev);
    const after = bRev ? recordedAt(repo, gitRoot, bRev) : workspaceSide(repo, trackedOutputs(project));
    repo.close();
    const entries = diffSides(repo.cache.store, before, after);
    if (values.json) {
      const grouped: Record<string, { path: string }[]> = {
        added: [],
        deleted: [],
        modified: [],
        'not in cache': [],
      };
      for (const entry of entries) grouped[entry.state]!.push({ path: entry.path });
      io.out(JSON.stringify(grouped, null, 2));
      return 0;
    }
    printDiff(io, entries);
    return 0;
  },
};

function printDiff(io: CliIo, entries: DiffEntry[]): void {
  const states = ['added', 'deleted', 'modified', 'not in cache'] as const;
  for (const state of states) {
    const ofState = entries.filter((entry) => entry.state === state);
    if (ofState.length === 0) continue;
    io.out(`${state[0]!.toUpperCase()}${state.slice(1)}:`);
    for (const entry of ofState) io.out(`    ${entry.path}`);
    io.out('');
  }
  const files = entries.filter((entry) => !entry.path.endsWith('/'));
  const counts = states.map((state) => `${files.filter((entry) => entry.state === state).length} ${state}`);
  io.out(`files summary: ${counts.slice(0, 3).join(', ')}`);
}

// ── remote ──────────────────────────────────────────────────────────────────────────────────────

const remoteAdd: DvcSubcommand = {
  usage: `Usage: labkit data remote add [-d] [--local] NAME PATH

Adds a remote: a local folder (created on the first push). -d makes it the default; --local writes
it to .dvc/config.local (not committed) instead of .dvc/config.`,
  async run(args, io, cwd) {
    const { values, positionals } = parseOptions(args, {
      default: { type: 'boolean', short: 'd' },
      local: { type: 'boolean' },
      force: { type: 'boolean', short: 'f' },
    });
    if (positionals.length !== 2) throw new UsageError('Give the remote a NAME and a PATH.');
    const [name = '', url = ''] = positionals;
    const repo = DvcRepo.require(cwd);
    if (!values.force && repo.config.remotes().some((remote) => remote.name === name)) {
      throw new CliError(`remote '${name}' already exists. Use \`-f|--force\` to overwrite it.`);
    }
    // DVC stores a relative local path relative to the config file's folder (.dvc/).
    const isUrl = /^[a-z][a-z0-9+.-]*:\/\//i.test(url);
    const stored = isUrl || path.isAbsolute(url) ? url : path.relative(repo.dvcDir, path.resolve(cwd, url));
    remoteFolder(repo.dvcDir, stored);
    DvcConfig.set(repo.dvcDir, remoteSection(name), 'url', stored, values.local);
    if (values.default) DvcConfig.set(repo.dvcDir, 'core', 'remote', name, values.local);
    io.out(`Added remote '${name}' (${stored})${values.default ? ', the default' : ''}.`);
    return 0;
  },
};

const remoteList: DvcSubcommand = {
  usage: `Usage: labkit data remote list

Lists the remotes: name, path, and which is the default.`,
  async run(args, io, cwd) {
    const { positionals } = parseOptions(args, {});
    noPositionals(positionals);
    const repo = DvcRepo.require(cwd);
    const fallback = repo.config.get('core', 'remote');
    for (const remote of repo.config.remotes()) {
      io.out(`${remote.name}\t${remote.url}${remote.name === fallback ? '\t(default)' : ''}`);
    }
    return 0;
  },
};

const remoteDefault: DvcSubcommand = {
  usage: `Usage: labkit data remote default [NAME] [--unset]

Prints the default remote, or makes NAME the default (--unset: no default).`,
  async run(args, io, cwd) {
    const { values, positionals } = parseOptions(args, {
      unset: { type: 'boolean' },
      local: { type: 'boolean' },
    });
    const repo = DvcRepo.require(cwd);
    if (values.unset) {
      DvcConfig.set(repo.dvcDir, 'core', 'remote', undefined, values.local);
      return 0;
    }
    const [name] = positionals;
    if (!name) {
      const current = repo.config.get('core', 'remote');
      if (!current)
        throw new CliError('There is no default remote. Set one with `labkit data remote default NAME`.');
      io.out(current);
      return 0;
    }
    if (!repo.config.remotes().some((remote) => remote.name === name)) {
      throw new CliError(
        `there is no remote named '${name}'. Add it with \`labkit data remote add ${name} PATH\`.`,
      );
    }
    DvcConfig.set(repo.dvcDir, 'core', 'remote', name, values.local);
    return 0;
  },
};

const remoteGroup: DvcGroup = {
  name: 'labkit data remote',
  usage: `Usage: labkit data remote add [-d] NAME PATH
       labkit data remote list
       labkit data remote default [NAME]`,
  subcommands: { add: remoteAdd, list: remoteList, default: remoteDefault },
};

// ── the group ───────────────────────────────────────────────────────────────────────────────────

export const dataUsage = `Usage: labkit data <subcommand> [arguments]

DVC's data versioning on DVC's own files (so \`dvc\` works on the same repository):
  init                           make this folder a DVC repository
  add PATH…                      track files or folders (PATH.dvc, .gitignore, cache)
  status [-c]                    what changed since it was recorded (-c: cache against remote)
  checkout [TARGET…]             make the workspace match .dvc files and dvc.lock
  commit [TARGET…]               record the workspace as it is now
  push | pull | fetch [-r NAME]  exchange cached data with a remote (a local folder)
  gc -w [--all-commits]          remove what nothing references from the cache
  diff [A_REV [B_REV]]           what data changed between git revisions
  remote add|list|default        the remotes in .dvc/config

Run \`labkit data <subcommand> --help\` for the details of one.`;

const dataGroup: DvcGroup = {
  name: 'labkit data',
  usage: dataUsage,
  subcommands: {
    init,
    add,
    status,
    checkout,
    commit,
    push,
    pull,
    fetch,
    gc,
    diff,
    remote: nestedGroup(remoteGroup),
  },
};

/** `labkit data …` on `io`, in the folder `cwd`. */
export function data(args: string[], io: CliIo, cwd = process.cwd()): Promise<number> {
  return runDvcGroup(dataGroup, args, io, cwd);
}

export const dataCommand = {
  summary: 'DVC data versioning: add, status, checkout, push, pull, diff…',
  run: (args: string[]) => data(args, processIo()),
};
