/**
 * The model registry: registered models, their numbered versions, stages, tags and aliases, with
 * MLflow's semantics and messages (`mlflow/store/model_registry`). State lives in the tracking
 * store's journal: each mutation is validated here, then committed as a `registry.*` event that
 * carries every generated value, so replay after a restart only applies.
 */
import { invalidParameter, MlflowError, notFound } from './errors';
import { modelStages, type ModelStage } from './wire';

export type ModelVersion = {
  name: string;
  version: string;
  creationTimestamp: number;
  lastUpdatedTimestamp: number;
  description: string;
  source: string;
  runId: string;
  runLink: string;
  currentStage: ModelStage;
  tags: Map<string, string>;
};

export type RegisteredModel = {
  name: string;
  creationTimestamp: number;
  lastUpdatedTimestamp: number;
  description: string;
  tags: Map<string, string>;
  aliases: Map<string, string>;
  versions: Map<string, ModelVersion>;
  lastVersionNumber: number;
};

type Tag = { key: string; value: string };

export type RegistryEvent =
  | { type: 'registry.model.create'; name: string; time: number; description: string; tags: Tag[] }
  | { type: 'registry.model.rename'; name: string; newName: string; time: number }
  | { type: 'registry.model.update'; name: string; description: string; time: number }
  | { type: 'registry.model.delete'; name: string }
  | { type: 'registry.model.tag'; name: string; key: string; value: string | null; time: number }
  | {
      type: 'registry.version.create';
      name: string;
      version: string;
      time: number;
      source: string;
      runId: string;
      runLink: string;
      description: string;
      tags: Tag[];
    }
  | { type: 'registry.version.update'; name: string; version: string; description: string; time: number }
  | { type: 'registry.version.delete'; name: string; version: string; time: number }
  | {
      type: 'registry.version.stage';
      name: string;
      version: string;
      stage: ModelStage;
      archiveExisting: boolean;
      time: number;
    }
  | { type: 'registry.version.tag'; name: string; version: string; key: string; value: string | null }
  | { type: 'registry.alias'; name: string; alias: string; version: string | null; time: number };

/** Reads a stage name case-insensitively, as MLflow's `get_canonical_stage`. */
export function canonicalStage(stage: string): ModelStage {
  const found = modelStages.find((known) => known.toLowerCase() === stage.toLowerCase());
  if (!found)
    throw invalidParameter(
      `Invalid Model Version stage: ${stage}. Value must be one of ${modelStages.join(', ')}.`,
    );
  return found;
}

function validateAlias(alias: string): void {
  if (alias === '' || alias.length > 255 || !/^[\w-]+$/.test(alias)) {
    throw invalidParameter(
      `Invalid alias name: '${alias}'. Aliases may only contain letters, digits, '_' and '-'.`,
    );
  }
  if (alias.toLowerCase() === 'latest' || /^v\d+$/i.test(alias)) {
    throw invalidParameter(
      `'${alias}' is a reserved alias. Aliases cannot be 'latest' or of the form 'v<number>'.`,
    );
  }
}

function validateModelName(name: string): void {
  if (name.trim() === '') throw invalidParameter(`Missing value for required parameter 'name'.`);
}

function validateVersionNumber(version: string): void {
  if (!/^\d+$/.test(version)) {
    throw invalidParameter(`Model version must be an integer, got '${version}'.`);
  }
}

/** A `name = 'x'` / `LIKE` / `ILIKE` / `!=` clause list joined by AND, over the allowed keys. */
export function parseRegistryFilter(
  filter: string | undefined,
  keys: readonly string[],
): { key: string; test: (value: string) => boolean }[] {
  if (filter === undefined || filter.trim() === '') return [];
  return filter.split(/\s+AND\s+/i).map((clause) => {
    const match = /^\s*`?(\w+)`?\s*(=|!=|LIKE|ILIKE)\s*(['"])(.*)\3\s*$/is.exec(clause);
    const key = match?.[1]?.toLowerCase();
    if (!match || !key || !keys.includes(key)) {
      throw invalidParameter(
        `Invalid filter '${filter}': expected clauses such as ${keys.map((k) => `${k} = '…'`).join(' or ')}, joined by AND.`,
      );
    }
    const operator = (match[2] ?? '').toUpperCase();
    const operand = match[4] ?? '';
    if (operator === '=') return { key, test: (value) => value === operand };
    if (operator === '!=') return { key, test: (value) => value !== operand };
    const pattern = operand
      .split('')
      .map((char) => (char === '%' ? '.*' : char === '_' ? '.' : char.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')))
      .join('');
    const regex = new RegExp(`^${pattern}$`, operator === 'ILIKE' ? 'is' : 's');
    return { key, test: (value) => regex.test(value) };
  });
}

export class ModelRegistry {
  private readonly models = new Map<string, RegisteredModel>();

  constructor(
    private readonly commit: (event: RegistryEvent) => void,
    private readonly now: () => number,
  ) {}

  apply(event: RegistryEvent): void {
    switch (event.type) {
      case 'registry.model.create':
        this.models.set(event.name, {
          name: event.name,
          creationTimestamp: event.time,
          lastUpdatedTimestamp: event.time,
          description: event.description,
          tags: new Map(event.tags.map((tag) => [tag.key, tag.value])),
          aliases: new Map(),
          versions: new Map(),
          lastVersionNumber: 0,
        });
        return;
      case 'registry.model.rename': {
        const model = this.mustModel(event.name);
        this.models.delete(event.name);
        model.name = event.newName;
        model.lastUpdatedTimestamp = event.time;
        for (const version of model.versions.values()) version.name = event.newName;
        this.models.set(event.newName, model);
        return;
      }
      case 'registry.model.update': {
        const model = this.mustModel(event.name);
        model.description = event.description;
        model.lastUpdatedTimestamp = event.time;
        return;
      }
      case 'registry.model.delete':
        this.models.delete(event.name);
        return;
      case 'registry.model.tag': {
        const model = this.mustModel(event.name);
        if (event.value === null) model.tags.delete(event.key);
        else model.tags.set(event.key, event.value);
        return;
      }
      case 'registry.version.create': {
        const model = this.mustModel(event.name);
        model.versions.set(event.version, {
          name: event.name,
          version: event.version,
          creationTimestamp: event.time,
          lastUpdatedTimestamp: event.time,
          description: event.description,
          source: event.source,
          runId: event.runId,
          runLink: event.runLink,
          currentStage: 'None',
          tags: new Map(event.tags.map((tag) => [tag.key, tag.value])),
        });
        model.lastVersionNumber = Math.max(model.lastVersionNumber, Number(event.version));
        model.lastUpdatedTimestamp = event.time;
        return;
      }
      case 'registry.version.update': {
        const version = this.mustVersion(event.name, event.version);
        version.description = event.description;
        version.lastUpdatedTimestamp = event.time;
        return;
      }
      case 'registry.version.delete': {
        const model = this.mustModel(event.name);
        model.versions.delete(event.version);
        for (const [alias, version] of model.aliases)
          if (version === event.version) model.aliases.delete(alias);
        model.lastUpdatedTimestamp = event.time;
        return;
      }
      case 'registry.version.stage': {
        const model = this.mustModel(event.name);
        const version = this.mustVersion(event.name, event.version);
        if (event.archiveExisting && (event.stage === 'Staging' || event.stage === 'Production')) {
          for (const other of model.versions.values()) {
            if (other !== version && other.currentStage === event.stage) {
              other.currentStage = 'Archived';
              other.lastUpdatedTimestamp = event.time;
            }
          }
        }
        version.currentStage = event.stage;
        version.lastUpdatedTimestamp = event.time;
        return;
      }
      case 'registry.version.tag': {
        const version = this.mustVersion(event.name, event.version);
        if (event.value === null) version.tags.delete(event.key);
        else version.tags.set(event.key, event.value);
        return;
      }
      case 'registry.alias': {
        const model = this.mustModel(event.name);
        if (event.version === null) model.aliases.delete(event.alias);
        else model.aliases.set(event.alias, event.version);
        return;
      }
    }
  }

  private mustModel(name: string): RegisteredModel {
    const model = this.models.get(name);
    if (!model) throw notFound(`Registered Model with name=${name} not found`);
    return model;
  }

  private mustVersion(name: string, version: string): ModelVersion {
    const model = this.mustModel(name);
    const found = model.versions.get(version);
    if (!found) throw notFound(`Model Version (name=${name}, version=${version}) not found`);
    return found;
  }

  // ── registered models ─────────────────────────────────────────────────────────────────────

  createModel(name: string, options: { description?: string; tags?: Tag[] } = {}): RegisteredModel {
    validateModelName(name);
    if (this.models.has(name)) {
      throw new MlflowError('RESOURCE_ALREADY_EXISTS', `Registered Model (name=${name}) already exists.`);
    }
    this.commit({
      type: 'registry.model.create',
      name,
      time: this.now(),
      description: options.description ?? '',
      tags: options.tags ?? [],
    });
    return this.mustModel(name);
  }

  getModel(name: string): RegisteredModel {
    return this.mustModel(name);
  }

  listModels(): RegisteredModel[] {
    return [...this.models.values()];
  }

  renameModel(name: string, newName: string): RegisteredModel {
    this.mustModel(name);
    validateModelName(newName);
    if (newName !== name && this.models.has(newName)) {
      throw new MlflowError('RESOURCE_ALREADY_EXISTS', `Registered Model (name=${newName}) already exists.`);
    }
    this.commit({ type: 'registry.model.rename', name, newName, time: this.now() });
    return this.mustModel(newName);
  }

  updateModel(name: string, description: string): RegisteredModel {
    this.mustModel(name);
    this.commit({ type: 'registry.model.update', name, description, time: this.now() });
    return this.mustModel(name);
  }

  deleteModel(name: string): void {
    this.mustModel(name);
    this.commit({ type: 'registry.model.delete', name });
  }

  setModelTag(name: string, key: string, value: string | null): void {
    this.mustModel(name);
    if (key === '') throw invalidParameter(`Missing value for required parameter 'key'`);
    this.commit({ type: 'registry.model.tag', name, key, value, time: this.now() });
  }

  /** The highest version in each stage (or in each of `stages`), ordered by stage. */
  latestVersions(name: string, stages: string[] = []): ModelVersion[] {
    const model = this.mustModel(name);
    const wanted = stages.length > 0 ? new Set(stages.map(canonicalStage)) : new Set(modelStages);
    const latest = new Map<ModelStage, ModelVersion>();
    for (const version of model.versions.values()) {
      const current = latest.get(version.currentStage);
      if (
        wanted.has(version.currentStage) &&
        (!current || Number(version.version) > Number(current.version))
      ) {
        latest.set(version.currentStage, version);
      }
    }
    return modelStages.flatMap((stage) => latest.get(stage) ?? []);
  }

  // ── model versions ────────────────────────────────────────────────────────────────────────

  createVersion(
    name: string,
    input: { source: string; runId?: string; runLink?: string; description?: string; tags?: Tag[] },
  ): ModelVersion {
    const model = this.mustModel(name);
    const version = String(model.lastVersionNumber + 1);
    this.commit({
      type: 'registry.version.create',
      name,
      version,
      time: this.now(),
      source: input.source,
      runId: input.runId ?? '',
      runLink: input.runLink ?? '',
      description: input.description ?? '',
      tags: input.tags ?? [],
    });
    return this.mustVersion(name, version);
  }

  getVersion(name: string, version: string): ModelVersion {
    validateVersionNumber(version);
    return this.mustVersion(name, version);
  }

  listVersions(): ModelVersion[] {
    return [...this.models.values()].flatMap((model) => [...model.versions.values()]);
  }

  updateVersion(name: string, version: string, description: string): ModelVersion {
    this.getVersion(name, version);
    this.commit({ type: 'registry.version.update', name, version, description, time: this.now() });
    return this.mustVersion(name, version);
  }

  deleteVersion(name: string, version: string): void {
    this.getVersion(name, version);
    this.commit({ type: 'registry.version.delete', name, version, time: this.now() });
  }

  transitionStage(name: string, version: string, stage: string, archiveExisting: boolean): ModelVersion {
    this.getVersion(name, version);
    this.commit({
      type: 'registry.version.stage',
      name,
      version,
      stage: canonicalStage(stage),
      archiveExisting,
      time: this.now(),
    });
    return this.mustVersion(name, version);
  }

  setVersionTag(name: string, version: string, key: string, value: string | null): void {
    this.getVersion(name, version);
    if (key === '') throw invalidParameter(`Missing value for required parameter 'key'`);
    this.commit({ type: 'registry.version.tag', name, version, key, value });
  }

  // ── aliases ───────────────────────────────────────────────────────────────────────────────

  setAlias(name: string, alias: string, version: string): void {
    validateAlias(alias);
    this.getVersion(name, version);
    this.commit({ type: 'registry.alias', name, alias, version, time: this.now() });
  }

  deleteAlias(name: string, alias: string): void {
    this.mustModel(name);
    this.commit({ type: 'registry.alias', name, alias, version: null, time: this.now() });
  }

  versionByAlias(name: string, alias: string): ModelVersion {
    const version = this.mustModel(name).aliases.get(alias);
    // MLflow answers a missing alias with INVALID_PARAMETER_VALUE (400), not RESOURCE_DOES_NOT_EXIST.
    if (version === undefined) throw invalidParameter(`Registered model alias ${alias} not found.`);
    return this.mustVersion(name, version);
  }

  aliasesOf(version: ModelVersion): string[] {
    const model = this.mustModel(version.name);
    return [...model.aliases].filter(([, number]) => number === version.version).map(([alias]) => alias);
  }
}
