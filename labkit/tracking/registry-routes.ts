/**
 * The tracking server's model-registry routes (registered models, versions, stages, tags and
 * aliases): each parses its endpoint's request, calls the registry and answers in MLflow's JSON.
 */
import { invalidParameter } from './errors';
import { parseRegistryFilter, type ModelRegistry, type ModelVersion, type RegisteredModel } from './registry';
import { keyValues, route, withPageToken, type Route } from './routing';
import { paginate } from './search';
import { registryEndpoints as api } from './wire';

function modelVersionJson(registry: ModelRegistry, version: ModelVersion) {
  return {
    name: version.name,
    version: version.version,
    creation_timestamp: version.creationTimestamp,
    last_updated_timestamp: version.lastUpdatedTimestamp,
    user_id: '',
    current_stage: version.currentStage,
    description: version.description,
    source: version.source,
    run_id: version.runId,
    run_link: version.runLink,
    status: 'READY',
    tags: keyValues(version.tags),
    aliases: registry.aliasesOf(version),
  };
}

function registeredModelJson(registry: ModelRegistry, model: RegisteredModel) {
  return {
    name: model.name,
    creation_timestamp: model.creationTimestamp,
    last_updated_timestamp: model.lastUpdatedTimestamp,
    description: model.description,
    tags: keyValues(model.tags),
    aliases: [...model.aliases].map(([alias, version]) => ({ alias, version })),
    latest_versions: registry
      .latestVersions(model.name)
      .map((version) => modelVersionJson(registry, version)),
  };
}

/** `order_by` for registered models: `name`, `creation_timestamp` or `last_updated_timestamp`, ASC/DESC. */
function sortRegisteredModels(models: RegisteredModel[], orderBy: string[] = []): RegisteredModel[] {
  const keys = orderBy.map((clause) => {
    const match = /^\s*(name|creation_timestamp|last_updated_timestamp|timestamp)\s*(ASC|DESC)?\s*$/i.exec(
      clause,
    );
    if (!match) throw invalidParameter(`Invalid order_by clause '${clause}'.`);
    const field = (match[1] ?? 'name').toLowerCase();
    return { field, direction: (match[2] ?? 'ASC').toUpperCase() === 'DESC' ? -1 : 1 };
  });
  const valueOf = (model: RegisteredModel, field: string): string | number =>
    field === 'name'
      ? model.name
      : field === 'creation_timestamp'
        ? model.creationTimestamp
        : model.lastUpdatedTimestamp;
  return [...models].sort((a, b) => {
    for (const { field, direction } of [...keys, { field: 'name', direction: 1 }]) {
      const left = valueOf(a, field);
      const right = valueOf(b, field);
      if (left !== right) return (left < right ? -1 : 1) * direction;
    }
    return 0;
  });
}

export function registryRoutes(registry: ModelRegistry): Route[] {
  const modelReply = (model: RegisteredModel) => ({ registered_model: registeredModelJson(registry, model) });
  const versionReply = (version: ModelVersion) => ({ model_version: modelVersionJson(registry, version) });
  return [
    route(api.createRegisteredModel, ({ name, description, tags }) =>
      modelReply(registry.createModel(name, { description, tags })),
    ),
    route(api.getRegisteredModel, ({ name }) => modelReply(registry.getModel(name))),
    route(api.renameRegisteredModel, ({ name, new_name }) =>
      modelReply(registry.renameModel(name, new_name)),
    ),
    route(api.updateRegisteredModel, ({ name, description }) =>
      modelReply(registry.updateModel(name, description ?? '')),
    ),
    route(api.deleteRegisteredModel, ({ name }) => {
      registry.deleteModel(name);
      return {};
    }),
    route(api.searchRegisteredModels, (search) => {
      const clauses = parseRegistryFilter(search.filter, ['name']);
      const matching = registry
        .listModels()
        .filter((model) => clauses.every((clause) => clause.test(model.name)));
      const page = paginate(
        sortRegisteredModels(matching, search.order_by),
        search.max_results ?? 100,
        search.page_token,
      );
      return withPageToken(
        { registered_models: page.items.map((model) => registeredModelJson(registry, model)) },
        page.nextPageToken,
      );
    }),
    route(api.getLatestVersions, ({ name, stages }) => ({
      model_versions: registry
        .latestVersions(name, stages)
        .map((version) => modelVersionJson(registry, version)),
    })),
    route(api.setRegisteredModelTag, ({ name, key, value }) => {
      registry.setModelTag(name, key, value);
      return {};
    }),
    route(api.deleteRegisteredModelTag, ({ name, key }) => {
      registry.setModelTag(name, key, null);
      return {};
    }),
    route(api.setAlias, ({ name, alias, version }) => {
      registry.setAlias(name, alias, version);
      return {};
    }),
    route(api.deleteAlias, ({ name, alias }) => {
      registry.deleteAlias(name, alias);
      return {};
    }),
    route(api.getModelVersionByAlias, ({ name, alias }) =>
      versionReply(registry.versionByAlias(name, alias)),
    ),

    route(api.createModelVersion, (input) =>
      versionReply(
        registry.createVersion(input.name, {
          source: input.source,
          runId: input.run_id,
          runLink: input.run_link,
          description: input.description,
          tags: input.tags,
        }),
      ),
    ),
    route(api.getModelVersion, ({ name, version }) => versionReply(registry.getVersion(name, version))),
    route(api.updateModelVersion, ({ name, version, description }) =>
      versionReply(registry.updateVersion(name, version, description ?? '')),
    ),
    route(api.deleteModelVersion, ({ name, version }) => {
      registry.deleteVersion(name, version);
      return {};
    }),
    route(api.searchModelVersions, (search) => {
      const clauses = parseRegistryFilter(search.filter, ['name', 'run_id']);
      const matching = registry
        .listVersions()
        .filter((version) =>
          clauses.every((clause) => clause.test(clause.key === 'name' ? version.name : version.runId)),
        )
        .sort((a, b) =>
          a.name === b.name ? Number(b.version) - Number(a.version) : a.name < b.name ? -1 : 1,
        );
      const page = paginate(matching, search.max_results ?? 10000, search.page_token);
      return withPageToken(
        { model_versions: page.items.map((version) => modelVersionJson(registry, version)) },
        page.nextPageToken,
      );
    }),
    route(api.transitionStage, (input) =>
      versionReply(
        registry.transitionStage(
          input.name,
          input.version,
          input.stage,
          input.archive_existing_versions ?? false,
        ),
      ),
    ),
    route(api.getDownloadUri, ({ name, version }) => ({
      artifact_uri: registry.getVersion(name, version).source,
    })),
    route(api.setModelVersionTag, ({ name, version, key, value }) => {
      registry.setVersionTag(name, version, key, value);
      return {};
    }),
    route(api.deleteModelVersionTag, ({ name, version, key }) => {
      registry.setVersionTag(name, version, key, null);
      return {};
    }),
  ];
}
