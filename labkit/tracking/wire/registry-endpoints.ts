/**
 * The model-registry half of MLflow's REST API 2.0 that labkit serves (`ModelRegistryService` in
 * MLflow's `mlflow/protos/model_registry.proto`): registered models, their versions, stages, tags
 * and aliases. Requests are as lenient as MLflow's server, replies as MLflow's client.
 */
import * as z from 'zod';
import { booleanField, int64, listOf, optionalField, requiredString, stringList } from './codecs';
import { emptyReply, endpoint, nextPageToken } from './endpoint';
import { keyValueInput, modelVersionSchema, registeredModelSchema } from './entities';

const name = { name: requiredString };
const version = { ...name, version: requiredString };
const registeredModelReply = z.object({ registered_model: registeredModelSchema });
const modelVersionReply = z.object({ model_version: modelVersionSchema });
const searchRequest = z.object({
  filter: optionalField(z.string()),
  max_results: optionalField(int64),
  order_by: optionalField(stringList),
  page_token: optionalField(z.string()),
});

export const registryEndpoints = {
  createRegisteredModel: endpoint(
    ['POST'],
    'registered-models/create',
    z.object({
      ...name,
      tags: optionalField(z.array(keyValueInput)),
      description: optionalField(z.string()),
    }),
    registeredModelReply,
  ),
  getRegisteredModel: endpoint(['GET'], 'registered-models/get', z.object(name), registeredModelReply),
  renameRegisteredModel: endpoint(
    ['POST'],
    'registered-models/rename',
    z.object({ ...name, new_name: requiredString }),
    registeredModelReply,
  ),
  updateRegisteredModel: endpoint(
    ['PATCH'],
    'registered-models/update',
    z.object({ ...name, description: optionalField(z.string()) }),
    registeredModelReply,
  ),
  deleteRegisteredModel: endpoint(['DELETE'], 'registered-models/delete', z.object(name), emptyReply),
  searchRegisteredModels: endpoint(
    ['GET'],
    'registered-models/search',
    searchRequest,
    z.object({ registered_models: listOf(registeredModelSchema), ...nextPageToken }),
  ),
  getLatestVersions: endpoint(
    ['POST', 'GET'],
    'registered-models/get-latest-versions',
    z.object({ ...name, stages: optionalField(stringList) }),
    z.object({ model_versions: listOf(modelVersionSchema) }),
  ),
  setRegisteredModelTag: endpoint(
    ['POST'],
    'registered-models/set-tag',
    z.object({ ...name, key: requiredString, value: z.string() }),
    emptyReply,
  ),
  deleteRegisteredModelTag: endpoint(
    ['DELETE'],
    'registered-models/delete-tag',
    z.object({ ...name, key: requiredString }),
    emptyReply,
  ),
  setAlias: endpoint(
    ['POST'],
    'registered-models/alias',
    z.object({ ...name, alias: requiredString, version: requiredString }),
    emptyReply,
  ),
  deleteAlias: endpoint(
    ['DELETE'],
    'registered-models/alias',
    z.object({ ...name, alias: requiredString }),
    emptyReply,
  ),
  getModelVersionByAlias: endpoint(
    ['GET'],
    'registered-models/alias',
    z.object({ ...name, alias: requiredString }),
    modelVersionReply,
  ),

  createModelVersion: endpoint(
    ['POST'],
    'model-versions/create',
    z.object({
      ...name,
      source: requiredString,
      run_id: optionalField(z.string()),
      run_link: optionalField(z.string()),
      description: optionalField(z.string()),
      tags: optionalField(z.array(keyValueInput)),
    }),
    modelVersionReply,
  ),
  getModelVersion: endpoint(['GET'], 'model-versions/get', z.object(version), modelVersionReply),
  updateModelVersion: endpoint(
    ['PATCH'],
    'model-versions/update',
    z.object({ ...version, description: optionalField(z.string()) }),
    modelVersionReply,
  ),
  deleteModelVersion: endpoint(['DELETE'], 'model-versions/delete', z.object(version), emptyReply),
  searchModelVersions: endpoint(
    ['GET'],
    'model-versions/search',
    searchRequest,
    z.object({ model_versions: listOf(modelVersionSchema), ...nextPageToken }),
  ),
  transitionStage: endpoint(
    ['POST'],
    'model-versions/transition-stage',
    z.object({
      ...version,
      stage: requiredString,
      archive_existing_versions: optionalField(booleanField),
    }),
    modelVersionReply,
  ),
  getDownloadUri: endpoint(
    ['GET'],
    'model-versions/get-download-uri',
    z.object(version),
    z.object({ artifact_uri: z.string() }),
  ),
  setModelVersionTag: endpoint(
    ['POST'],
    'model-versions/set-tag',
    z.object({ ...version, key: requiredString, value: z.string() }),
    emptyReply,
  ),
  deleteModelVersionTag: endpoint(
    ['DELETE'],
    'model-versions/delete-tag',
    z.object({ ...version, key: requiredString }),
    emptyReply,
  ),
};
