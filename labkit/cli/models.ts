/**
 * `labkit models list|show|promote`: the model registry on the tracking server. `promote` moves a
 * version to a stage (Staging, Production, Archived) or points an alias such as `champion` at it,
 * the two ways MLflow clients pick "the" model to serve (`models:/name/Production`,
 * `models:/name@champion`).
 */
import { parseOptions, runGroup, type CommandGroup, type Subcommand } from './command';
import { CliError, processIo, UsageError, type CliIo } from './io';
import { shortId } from './runs';
import {
  formatLocalTime,
  formatRelativeTime,
  renderPairs,
  renderTable,
  type Cell,
  type Style,
} from './table';
import { modelStages, toJson, type ModelStage, type ModelVersion } from '../tracking/wire';
import { TrackingApiError, TrackingClient } from './tracking-client';

const listUsage = `Usage: labkit models list [--json]

Lists the registered models: the latest version, which versions are in Staging and Production,
and the aliases.
  --json   print the models as the server sends them, as JSON`;

const showUsage = `Usage: labkit models show NAME [--json]

Shows one registered model and all its versions: stage, aliases, the run that made it, its
source and when it was registered.
  --json   print the model and its versions as the server sends them, as JSON`;

const promoteUsage = `Usage: labkit models promote NAME VERSION --stage Staging|Production|Archived|None [--archive-existing]
       labkit models promote NAME VERSION --alias ALIAS

Moves a model version to a stage, or points an alias at it (one of the two is required; both may
be given). Clients then load it as models:/NAME/Production or models:/NAME@ALIAS.
  --stage              Staging, Production, Archived or None (any letter case)
  --archive-existing   with --stage: archive the versions now in that stage
  --alias              e.g. champion (letters, digits, _ and -)`;

export const modelsUsage = `Usage: labkit models list [--json]
       labkit models show NAME [--json]
       labkit models promote NAME VERSION --stage STAGE [--archive-existing] | --alias ALIAS

Reads and updates the model registry of the tracking server at $MLFLOW_TRACKING_URI
(default http://127.0.0.1:5000). Run \`labkit models <subcommand> --help\` for the details of one.`;

const stageStyles: Record<string, Style> = { Production: 'green', Staging: 'yellow', Archived: 'dim' };

function byVersionDescending(a: ModelVersion, b: ModelVersion): number {
  return Number(b.version) - Number(a.version);
}

/** Turns "not found" answers into messages that say where to look. */
async function withRegistryHints<T>(name: string, action: () => Promise<T>): Promise<T> {
  try {
    return await action();
  } catch (error) {
    if (error instanceof TrackingApiError && error.isNotFound) {
      const hint = /Registered Model/i.test(error.message)
        ? `There is no registered model "${name}". \`labkit models list\` shows the models there are.`
        : `${error.message}. \`labkit models show ${name}\` shows its versions.`;
      throw new CliError(hint);
    }
    throw error;
  }
}

// ── list ────────────────────────────────────────────────────────────────────────────────────────

const list: Subcommand = {
  usage: listUsage,
  async run(args, io) {
    const { values, positionals } = parseOptions(args, { json: { type: 'boolean' } });
    if (positionals.length) throw new UsageError(`Unexpected argument "${positionals[0]}".`);
    const client = TrackingClient.fromEnv(io.env);
    const models = await client.searchRegisteredModels();
    if (values.json) {
      io.out(toJson({ registered_models: models }, 2));
      return 0;
    }
    if (models.length === 0) {
      io.out(
        'No registered models yet. Register one from Python with ' +
          'mlflow.register_model("runs:/<run id>/model", "<name>").',
      );
      return 0;
    }
    const now = io.now();
    const rows: Cell[][] = models.map((model) => {
      const versions = model.latest_versions;
      const latest = versions.reduce((top, version) => Math.max(top, Number(version.version)), 0);
      const staged = ['Production', 'Staging']
        .flatMap((stage) =>
          versions
            .filter((version) => version.current_stage === stage)
            .map((version) => `${stage} v${version.version}`),
        )
        .join(', ');
      const aliases = model.aliases.map((alias) => `@${alias.alias} → v${alias.version}`).join(', ');
      return [
        model.name,
        latest ? `v${latest}` : '-',
        staged || '-',
        aliases || '-',
        model.last_updated_timestamp === undefined
          ? '-'
          : formatRelativeTime(model.last_updated_timestamp, now),
        model.description || '',
      ];
    });
    const table = renderTable(
      [
        { header: 'name', minWidth: 10 },
        { header: 'latest', align: 'right', minWidth: 4 },
        { header: 'stages', minWidth: 10 },
        { header: 'aliases', minWidth: 10 },
        { header: 'updated', minWidth: 9 },
        { header: 'description', minWidth: 11 },
      ],
      rows,
      { width: io.width, color: io.color },
    );
    for (const line of table.lines) io.out(line);
    if (table.hidden.length) io.err(`Not shown for lack of width: ${table.hidden.join(', ')}.`);
    return 0;
  },
};

// ── show ────────────────────────────────────────────────────────────────────────────────────────

const show: Subcommand = {
  usage: showUsage,
  async run(args, io) {
    const { values, positionals } = parseOptions(args, { json: { type: 'boolean' } });
    if (positionals.length !== 1) {
      throw new UsageError(
        positionals.length ? 'Name one model at a time.' : 'Name the model to show: labkit models show NAME.',
      );
    }
    const name = positionals[0] ?? '';
    const client = TrackingClient.fromEnv(io.env);
    const model = await withRegistryHints(name, () => client.getRegisteredModel(name));
    const versions = (await client.modelVersions(name)).sort(byVersionDescending);
    if (values.json) {
      io.out(toJson({ registered_model: model, model_versions: versions }, 2));
      return 0;
    }
    const now = io.now();
    const when = (time: number | undefined) =>
      time === undefined ? '-' : `${formatLocalTime(time)} (${formatRelativeTime(time, now)})`;
    const pairs: [string, Cell][] = [
      ['created', when(model.creation_timestamp)],
      ['updated', when(model.last_updated_timestamp)],
    ];
    if (model.description) pairs.unshift(['description', model.description]);
    if (model.aliases.length) {
      pairs.push(['aliases', model.aliases.map((alias) => `@${alias.alias} → v${alias.version}`).join(', ')]);
    }
    for (const tag of model.tags) pairs.push([`tag ${tag.key}`, tag.value]);
    io.out(`Model ${model.name}`);
    for (const line of renderPairs(pairs, { width: io.width, color: io.color })) io.out(line);
    io.out('');
    io.out(`Versions (${versions.length})`);
    if (versions.length === 0) {
      io.out('  (none yet)');
      return 0;
    }
    const table = renderTable(
      [
        { header: 'version', align: 'right', minWidth: 7 },
        { header: 'stage', minWidth: 10 },
        { header: 'aliases', minWidth: 8 },
        { header: 'run id', minWidth: 8 },
        { header: 'created', minWidth: 9 },
        { header: 'source', minWidth: 12 },
      ],
      versions.map((version): Cell[] => {
        const stage = version.current_stage;
        return [
          `v${version.version}`,
          { text: stage, style: stageStyles[stage] },
          version.aliases.map((alias) => `@${alias}`).join(', ') || '-',
          version.run_id ? shortId(version.run_id) : '-',
          version.creation_timestamp === undefined
            ? '-'
            : formatRelativeTime(version.creation_timestamp, now),
          version.source ?? '',
        ];
      }),
      { width: io.width === undefined ? undefined : io.width - 2, color: io.color, keep: 2 },
    );
    for (const line of table.lines) io.out(`  ${line}`);
    return 0;
  },
};

// ── promote ─────────────────────────────────────────────────────────────────────────────────────

/** The canonical stage name for any letter case, or a usage error listing the stages. */
export function parseStage(input: string): ModelStage {
  const stage = modelStages.find((candidate) => candidate.toLowerCase() === input.trim().toLowerCase());
  if (!stage) throw new UsageError(`"${input}" is not a stage: use Staging, Production, Archived or None.`);
  return stage;
}

const promote: Subcommand = {
  usage: promoteUsage,
  async run(args, io) {
    const { values, positionals } = parseOptions(args, {
      stage: { type: 'string' },
      alias: { type: 'string' },
      'archive-existing': { type: 'boolean' },
    });
    if (positionals.length !== 2) {
      throw new UsageError(
        'Name the model and the version: labkit models promote NAME VERSION --stage|--alias ….',
      );
    }
    const [name = '', versionInput = ''] = positionals;
    const version = versionInput.replace(/^v/i, '');
    if (!/^\d+$/.test(version) || Number(version) < 1) {
      throw new UsageError(`"${versionInput}" is not a version number: versions are 1, 2, 3…`);
    }
    if (values.stage === undefined && values.alias === undefined) {
      throw new UsageError(
        'Say where the version goes: --stage Staging|Production|Archived, or --alias NAME.',
      );
    }
    if (values['archive-existing'] && values.stage === undefined) {
      throw new UsageError(
        '--archive-existing goes with --stage: it archives the versions now in that stage.',
      );
    }
    const stage = values.stage === undefined ? undefined : parseStage(values.stage);
    if (values.alias !== undefined && !/^[\w-]+$/.test(values.alias)) {
      throw new UsageError(`"${values.alias}" is not an alias: use letters, digits, _ and -, e.g. champion.`);
    }
    const client = TrackingClient.fromEnv(io.env);
    const current = await withRegistryHints(name, async () => {
      await client.getRegisteredModel(name);
      return client.getModelVersion(name, version);
    });

    if (stage !== undefined) {
      const before = new Map((await client.modelVersions(name)).map((v) => [v.version, v.current_stage]));
      await client.transitionStage(name, version, stage, values['archive-existing'] ?? false);
      const after = await client.modelVersions(name);
      const from = current.current_stage;
      io.out(
        from === stage
          ? `${name} version ${version} was already in ${stage}.`
          : `${name} version ${version}: ${from} → ${stage}.`,
      );
      for (const other of after.sort(byVersionDescending)) {
        const was = before.get(other.version);
        if (other.version !== version && was !== other.current_stage) {
          io.out(`${name} version ${other.version}: ${was} → ${other.current_stage} (--archive-existing).`);
        }
      }
      if (stage === 'Production' || stage === 'Staging')
        io.out(`Clients load it as models:/${name}/${stage}.`);
    }
    if (values.alias !== undefined) {
      const alias = values.alias;
      const model = await client.getRegisteredModel(name);
      const previous = model.aliases.find((entry) => entry.alias === alias)?.version;
      await client.setAlias(name, alias, version);
      io.out(
        previous === version
          ? `@${alias} already pointed to ${name} version ${version}.`
          : `@${alias} now points to ${name} version ${version}` +
              (previous ? ` (it pointed to version ${previous}).` : '.'),
      );
      io.out(`Clients load it as models:/${name}@${alias}.`);
    }
    return 0;
  },
};

// ── the group ───────────────────────────────────────────────────────────────────────────────────

export const modelsGroup: CommandGroup = {
  name: 'models',
  summary: 'list, show and promote registered models',
  usage: modelsUsage,
  subcommands: { list, show, promote },
};

/** `labkit models …` with the given output (tests pass captured output). */
export function models(args: string[], io: CliIo): Promise<number> {
  return runGroup(modelsGroup, args, io);
}

export const modelsCommand = {
  summary: modelsGroup.summary,
  run: (args: string[]) => models(args, processIo()),
};
