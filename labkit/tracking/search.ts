/**
 * MLflow's search syntax (`mlflow/utils/search_utils.py`): the filter grammar for runs and
 * experiments, `order_by` clauses, and opaque offset page tokens. Every malformed input is an
 * INVALID_PARAMETER_VALUE (a 400), never an internal error: MLflow's client retries 5xx.
 *
 *   filter   := clause (AND clause)*
 *   clause   := identifier comparator value | identifier [NOT] IN '(' value (',' value)* ')'
 *   ident    := [entity '.'] key   entity (attribute when omitted): metric(s) param(s) parameter(s) tag(s) attribute(s) attr run
 *   key      := word | "quoted" | `backticked`
 *   value    := number | 'string' | "string"
 */
import { invalidParameter } from './errors';
import type { Experiment, Run } from './store';
import type { LifecycleStage, ViewType } from './wire';

export type Entity = 'metric' | 'param' | 'tag' | 'attribute';
export type Comparator = '=' | '!=' | '>' | '>=' | '<' | '<=' | 'LIKE' | 'ILIKE' | 'IN' | 'NOT IN';

export type Clause = {
  entity: Entity;
  key: string;
  comparator: Comparator;
  value: number | string | string[];
};

export type OrderClause = { entity: Entity; key: string; ascending: boolean };

const entityAliases: Record<string, Entity> = {
  metric: 'metric',
  metrics: 'metric',
  param: 'param',
  params: 'param',
  parameter: 'param',
  parameters: 'param',
  tag: 'tag',
  tags: 'tag',
  attribute: 'attribute',
  attributes: 'attribute',
  attr: 'attribute',
  run: 'attribute',
};

const numericComparators: readonly Comparator[] = ['=', '!=', '>', '>=', '<', '<='];
const stringComparators: readonly Comparator[] = ['=', '!=', 'LIKE', 'ILIKE'];

/** Run attributes and the canonical key each alias stands for. */
const runAttributeAliases: Record<string, string> = {
  run_id: 'run_id',
  run_name: 'run_name',
  'run name': 'run_name',
  'Run name': 'run_name',
  status: 'status',
  user_id: 'user_id',
  artifact_uri: 'artifact_uri',
  lifecycle_stage: 'lifecycle_stage',
  start_time: 'start_time',
  end_time: 'end_time',
  created: 'start_time',
  Created: 'start_time',
  experiment_id: 'experiment_id',
};
const numericRunAttributes = new Set(['start_time', 'end_time']);

const experimentAttributeAliases: Record<string, string> = {
  name: 'name',
  experiment_id: 'experiment_id',
  creation_time: 'creation_time',
  last_update_time: 'last_update_time',
};
const numericExperimentAttributes = new Set(['creation_time', 'last_update_time', 'experiment_id']);

// ── tokenizer ─────────────────────────────────────────────────────────────────────────────────

type Token =
  | { kind: 'identifier'; entity: string; key: string; text: string }
  | { kind: 'word'; text: string }
  | { kind: 'string'; value: string; text: string }
  | { kind: 'number'; value: number; text: string }
  | { kind: 'operator'; text: string }
  | { kind: 'punct'; text: '(' | ')' | ',' };

function readQuoted(input: string, start: number, what: string): { value: string; end: number } {
  const quote = input[start];
  let value = '';
  let index = start + 1;
  while (index < input.length) {
    const char = input[index];
    if (char === quote) {
      if (input[index + 1] === quote) {
        value += quote;
        index += 2;
        continue;
      }
      return { value, end: index + 1 };
    }
    value += char;
    index += 1;
  }
  throw invalidParameter(`Invalid ${what}: unterminated quote starting at position ${start}.`);
}

/** Reads the key after `entity.`: a bare word (may contain . : / -) or a quoted/backticked name. */
function readKey(input: string, start: number, entity: string, what: string): { value: string; end: number } {
  const next = input[start];
  if (next === '"' || next === '`' || next === "'") return readQuoted(input, start, what);
  const bare = /^[\w.:/-]*\w/.exec(input.slice(start));
  if (!bare) throw invalidParameter(`Invalid ${what}: expected a key after '${entity}.'.`);
  return { value: bare[0], end: start + bare[0].length };
}

function tokenize(input: string, what: string): Token[] {
  const tokens: Token[] = [];
  let index = 0;
  while (index < input.length) {
    const char = input[index] as string;
    if (/\s/.test(char)) {
      index += 1;
      continue;
    }
    if (char === '(' || char === ')' || char === ',') {
      tokens.push({ kind: 'punct', text: char });
      index += 1;
      continue;
    }
    const operator = /^(!=|<>|>=|<=|=|>|<)/.exec(input.slice(index));
    if (operator) {
      tokens.push({ kind: 'operator', text: operator[1] === '<>' ? '!=' : (operator[1] as string) });
      index += operator[0].length;
      continue;
    }
    if (char === "'" || char === '"') {
      const { value, end } = readQuoted(input, index, what);
      tokens.push({ kind: 'string', value, text: input.slice(index, end) });
      index = end;
      continue;
    }
    if (char === '`') {
      // A backticked entity, e.g. `metrics`.`my key`.
      const { value, end } = readQuoted(input, index, what);
      index = end;
      if (input[index] === '.') {
        const key = readKey(input, index + 1, value, what);
        tokens.push({ kind: 'identifier', entity: value, key: key.value, text: `${value}.${key.value}` });
        index = key.end;
      } else {
        tokens.push({ kind: 'word', text: value });
      }
      continue;
    }
    const number = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?/.exec(input.slice(index));
    if (number) {
      tokens.push({ kind: 'number', value: Number(number[0]), text: number[0] });
      index += number[0].length;
      continue;
    }
    const word = /^[A-Za-z_][\w]*/.exec(input.slice(index));
    if (word) {
      index += word[0].length;
      if (input[index] !== '.') {
        tokens.push({ kind: 'word', text: word[0] });
        continue;
      }
      const key = readKey(input, index + 1, word[0], what);
      index = key.end;
      tokens.push({ kind: 'identifier', entity: word[0], key: key.value, text: `${word[0]}.${key.value}` });
      continue;
    }
    throw invalidParameter(
      `Invalid ${what} '${input}': unexpected character '${char}' at position ${index}.`,
    );
  }
  return tokens;
}

function resolveEntity(token: Extract<Token, { kind: 'identifier' }>): Entity {
  const entity = entityAliases[token.entity] ?? entityAliases[token.entity.toLowerCase()];
  if (!entity) {
    throw invalidParameter(
      `Invalid entity type '${token.entity}'. Valid values are ['metric', 'parameter', 'tag', 'attribute'].`,
    );
  }
  return entity;
}

// ── filter ────────────────────────────────────────────────────────────────────────────────────

/** Parses a filter string into clauses joined by AND. An empty or blank filter has no clauses. */
export function parseFilter(filter: string | undefined): Clause[] {
  if (!filter || filter.trim() === '') return [];
  const what = 'filter string';
  const tokens = tokenize(filter, what);
  const clauses: Clause[] = [];
  let index = 0;
  const fail = (problem: string): never => {
    throw invalidParameter(`Invalid filter string '${filter}': ${problem}`);
  };
  while (index < tokens.length) {
    const token = tokens[index];
    // A bare name is an attribute, as in MLflow: `name LIKE 'x%'`, `status = 'FINISHED'`.
    const identifier =
      token?.kind === 'word'
        ? { kind: 'identifier' as const, entity: 'attribute', key: token.text, text: token.text }
        : token;
    if (identifier?.kind !== 'identifier') {
      const text = identifier && 'text' in identifier ? identifier.text : '';
      return fail(`expected an identifier such as 'metrics.rmse' but found '${text}'.`);
    }
    const entity = resolveEntity(identifier);
    index += 1;
    const comparatorToken = tokens[index];
    let comparator: Comparator;
    if (comparatorToken?.kind === 'operator') {
      comparator = comparatorToken.text as Comparator;
      index += 1;
    } else if (comparatorToken?.kind === 'word') {
      const word = comparatorToken.text.toUpperCase();
      const following = tokens[index + 1];
      if (word === 'NOT' && following?.kind === 'word' && following.text.toUpperCase() === 'IN') {
        comparator = 'NOT IN';
        index += 2;
      } else if (word === 'LIKE' || word === 'ILIKE' || word === 'IN') {
        comparator = word;
        index += 1;
      } else {
        return fail(`'${comparatorToken.text}' is not a comparison operator.`);
      }
    } else {
      return fail(`expected a comparison operator after '${identifier.text}'.`);
    }
    let value: Clause['value'];
    if (comparator === 'IN' || comparator === 'NOT IN') {
      if (tokens[index]?.kind !== 'punct' || (tokens[index] as { text: string }).text !== '(') {
        return fail(`expected '(' after ${comparator}.`);
      }
      index += 1;
      const values: string[] = [];
      for (;;) {
        const item = tokens[index];
        if (item?.kind !== 'string') return fail(`${comparator} takes a list of quoted strings.`);
        values.push(item.value);
        index += 1;
        const separator = tokens[index];
        index += 1;
        if (separator?.kind === 'punct' && separator.text === ')') break;
        if (separator?.kind !== 'punct' || separator.text !== ',')
          return fail(`expected ',' or ')' in the list.`);
      }
      value = values;
    } else {
      const valueToken = tokens[index];
      if (valueToken?.kind === 'string' || valueToken?.kind === 'number') {
        value = valueToken.value;
      } else {
        return fail(`expected a value after '${identifier.text} ${comparator}'.`);
      }
      index += 1;
    }
    clauses.push({ entity, key: identifier.key, comparator, value });
    if (index < tokens.length) {
      const conjunction = tokens[index];
      if (conjunction?.kind !== 'word' || conjunction.text.toUpperCase() !== 'AND') {
        const text = conjunction && 'text' in conjunction ? conjunction.text : '';
        return fail(
          text.toUpperCase() === 'OR'
            ? 'OR is not supported; clauses can only be joined with AND.'
            : `expected AND between clauses but found '${text}'.`,
        );
      }
      index += 1;
      if (index === tokens.length) return fail('it ends with AND.');
    }
  }
  return clauses;
}

function checkClause(clause: Clause, isNumeric: boolean, allowIn: boolean, label: string): void {
  const { comparator, value } = clause;
  if (isNumeric) {
    if (!numericComparators.includes(comparator)) {
      throw invalidParameter(
        `Invalid comparator '${comparator}' not one of '${numericComparators.join("', '")}' for ${label}.`,
      );
    }
    if (typeof value !== 'number') {
      throw invalidParameter(`Expected numeric value type for ${label}. Found '${String(value)}'.`);
    }
    return;
  }
  const allowed = allowIn ? [...stringComparators, 'IN', 'NOT IN'] : stringComparators;
  if (!allowed.includes(comparator)) {
    throw invalidParameter(
      `Invalid comparator '${comparator}' not one of '${allowed.join("', '")}' for ${label}.`,
    );
  }
  if (typeof value === 'number') {
    throw invalidParameter(
      `Value '${value}' for ${label} must be a quoted string, e.g. ${clause.entity}s.${clause.key} = '${value}'.`,
    );
  }
}

/** Parses and checks a runs filter; attribute aliases are resolved to their canonical keys. */
export function parseRunFilter(filter: string | undefined): Clause[] {
  return parseFilter(filter).map((clause) => {
    if (clause.entity === 'metric') checkClause(clause, true, false, `metric '${clause.key}'`);
    else if (clause.entity === 'param' || clause.entity === 'tag') {
      checkClause(clause, false, false, `${clause.entity} '${clause.key}'`);
    } else {
      const key = runAttributeAliases[clause.key];
      if (!key) {
        throw invalidParameter(
          `Invalid attribute key '${clause.key}' specified. Valid keys are ` +
            `'${[...new Set(Object.values(runAttributeAliases))].join("', '")}'.`,
        );
      }
      checkClause(clause, numericRunAttributes.has(key), true, `attribute '${key}'`);
      return { ...clause, key };
    }
    return clause;
  });
}

export function parseExperimentFilter(filter: string | undefined): Clause[] {
  return parseFilter(filter).map((clause) => {
    if (clause.entity === 'tag') {
      checkClause(clause, false, false, `tag '${clause.key}'`);
      return clause;
    }
    if (clause.entity !== 'attribute') {
      throw invalidParameter(
        `Invalid entity type '${clause.entity}' in an experiments filter: use attributes or tags.`,
      );
    }
    const key = experimentAttributeAliases[clause.key];
    if (!key) {
      throw invalidParameter(
        `Invalid attribute key '${clause.key}' specified. Valid keys are '${Object.keys(experimentAttributeAliases).join("', '")}'.`,
      );
    }
    checkClause(clause, numericExperimentAttributes.has(key), false, `attribute '${key}'`);
    return { ...clause, key };
  });
}

/** Compiled LIKE patterns: a search evaluates the same clause against every run. */
const likePatterns = new Map<string, RegExp>();
const maxCachedLikePatterns = 256;

function likeToRegExp(pattern: string, caseInsensitive: boolean): RegExp {
  const cacheKey = `${caseInsensitive ? 'i' : 's'}:${pattern}`;
  const cached = likePatterns.get(cacheKey);
  if (cached) return cached;
  if (likePatterns.size >= maxCachedLikePatterns) likePatterns.clear();
  const regExp = compileLike(pattern, caseInsensitive);
  likePatterns.set(cacheKey, regExp);
  return regExp;
}

function compileLike(pattern: string, caseInsensitive: boolean): RegExp {
  const source = [...pattern]
    .map((char) => (char === '%' ? '.*' : char === '_' ? '.' : char.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')))
    .join('');
  return new RegExp(`^${source}$`, caseInsensitive ? 'is' : 's');
}

/** Whether an actual value satisfies a clause; a missing value never does (as an SQL inner join). */
function compare(actual: string | number | undefined, clause: Clause): boolean {
  if (actual === undefined) return false;
  const { comparator, value } = clause;
  if (Array.isArray(value)) {
    const isMember = value.includes(String(actual));
    return comparator === 'IN' ? isMember : !isMember;
  }
  if (comparator === 'LIKE' || comparator === 'ILIKE') {
    return likeToRegExp(String(value), comparator === 'ILIKE').test(String(actual));
  }
  if (typeof value === 'number' && typeof actual === 'number') {
    switch (comparator) {
      case '=':
        return actual === value;
      case '!=':
        return actual !== value;
      case '>':
        return actual > value;
      case '>=':
        return actual >= value;
      case '<':
        return actual < value;
      case '<=':
        return actual <= value;
    }
    return false;
  }
  if (comparator === '=') return String(actual) === String(value);
  if (comparator === '!=') return String(actual) !== String(value);
  return false;
}

function runAttribute(run: Run, key: string): string | number | undefined {
  switch (key) {
    case 'run_id':
      return run.runId;
    case 'run_name':
      return run.runName;
    case 'status':
      return run.status;
    case 'user_id':
      return run.userId;
    case 'artifact_uri':
      return run.artifactUri;
    case 'lifecycle_stage':
      return run.lifecycleStage;
    case 'start_time':
      return run.startTime;
    case 'end_time':
      return run.endTime ?? undefined;
    case 'experiment_id':
      return run.experimentId;
  }
  return undefined;
}

function runValue(run: Run, entity: Entity, key: string): string | number | undefined {
  switch (entity) {
    case 'metric':
      return run.latestMetrics.get(key)?.value;
    case 'param':
      return run.params.get(key);
    case 'tag':
      return run.tags.get(key);
    case 'attribute':
      return runAttribute(run, key);
  }
}

export function runMatches(run: Run, clauses: Clause[]): boolean {
  return clauses.every((clause) => compare(runValue(run, clause.entity, clause.key), clause));
}

function experimentValue(
  experiment: Experiment,
  clause: { entity: Entity; key: string },
): string | number | undefined {
  if (clause.entity === 'tag') return experiment.tags.get(clause.key);
  switch (clause.key) {
    case 'name':
      return experiment.name;
    case 'experiment_id':
      return Number(experiment.experimentId);
    case 'creation_time':
      return experiment.creationTime;
    case 'last_update_time':
      return experiment.lastUpdateTime;
  }
  return undefined;
}

// ── order_by ──────────────────────────────────────────────────────────────────────────────────

function parseOrderClause(text: string, resolveBare: (key: string) => OrderClause): OrderClause {
  const what = 'order_by clause';
  const tokens = tokenize(text, what);
  const fail = (): never => {
    throw invalidParameter(
      `Invalid order_by clause '${text}'. Expected '<entity>.<key> [ASC|DESC]', e.g. 'metrics.rmse DESC'.`,
    );
  };
  const [first, direction, ...rest] = tokens;
  if (rest.length > 0 || !first) return fail();
  let clause: OrderClause;
  if (first.kind === 'identifier') clause = { entity: resolveEntity(first), key: first.key, ascending: true };
  else if (first.kind === 'word' || first.kind === 'string')
    clause = resolveBare(first.kind === 'word' ? first.text : first.value);
  else return fail();
  if (direction) {
    const word = direction.kind === 'word' ? direction.text.toUpperCase() : '';
    if (word !== 'ASC' && word !== 'DESC') return fail();
    clause.ascending = word === 'ASC';
  }
  return clause;
}

export function parseRunOrderBy(orderBy: string[] | undefined): OrderClause[] {
  return (orderBy ?? []).map((text) => {
    const clause = parseOrderClause(text, (key) => ({ entity: 'attribute', key, ascending: true }));
    if (clause.entity !== 'attribute') return clause;
    const key = runAttributeAliases[clause.key];
    if (!key) throw invalidParameter(`Invalid attribute key '${clause.key}' in order_by clause '${text}'.`);
    return { ...clause, key };
  });
}

export function parseExperimentOrderBy(orderBy: string[] | undefined): OrderClause[] {
  return (orderBy ?? []).map((text) => {
    const clause = parseOrderClause(text, (key) => ({ entity: 'attribute', key, ascending: true }));
    const key = clause.entity === 'attribute' ? experimentAttributeAliases[clause.key] : undefined;
    if (!key) {
      throw invalidParameter(
        `Invalid order_by clause '${text}'. Experiments can be ordered by ` +
          `'${Object.keys(experimentAttributeAliases).join("', '")}'.`,
      );
    }
    return { ...clause, key };
  });
}

/** Where a sort key goes: values first, then NaN, then missing. */
function rank(value: string | number | undefined): number {
  return value === undefined ? 2 : typeof value === 'number' && Number.isNaN(value) ? 1 : 0;
}

/**
 * Compares two sort keys. Missing values go last whatever the direction, and NaN metrics sort
 * after numbers but before missing values (as MLflow's SQL store).
 */
function compareSortValues(
  a: string | number | undefined,
  b: string | number | undefined,
  ascending: boolean,
): number {
  const rankA = rank(a);
  const rankB = rank(b);
  if (rankA !== rankB || rankA !== 0) return rankA - rankB;
  const order =
    (a as string | number) < (b as string | number)
      ? -1
      : (a as string | number) > (b as string | number)
        ? 1
        : 0;
  return ascending ? order : -order;
}

/** Sorts runs by the clauses, then (unless given) start_time DESC, then run_id ASC. */
export function sortRuns(runs: Run[], orderBy: OrderClause[]): Run[] {
  const clauses = [...orderBy];
  const isOrderedBy = (key: string) => clauses.some((c) => c.entity === 'attribute' && c.key === key);
  if (!isOrderedBy('start_time')) clauses.push({ entity: 'attribute', key: 'start_time', ascending: false });
  if (!isOrderedBy('run_id')) clauses.push({ entity: 'attribute', key: 'run_id', ascending: true });
  // Each run's keys are looked up once, not on every comparison (a metric lookup is not free).
  const keyed = runs.map((run) => ({
    run,
    keys: clauses.map((clause) => runValue(run, clause.entity, clause.key)),
  }));
  keyed.sort((a, b) => {
    for (let i = 0; i < clauses.length; i++) {
      const order = compareSortValues(a.keys[i], b.keys[i], clauses[i]!.ascending);
      if (order !== 0) return order;
    }
    return 0;
  });
  return keyed.map((entry) => entry.run);
}

function sortExperiments(experiments: Experiment[], orderBy: OrderClause[]): Experiment[] {
  const clauses = [...orderBy];
  const isOrderedBy = (key: string) => clauses.some((c) => c.key === key);
  if (!isOrderedBy('creation_time'))
    clauses.push({ entity: 'attribute', key: 'creation_time', ascending: false });
  if (!isOrderedBy('experiment_id'))
    clauses.push({ entity: 'attribute', key: 'experiment_id', ascending: true });
  return [...experiments].sort((a, b) => {
    for (const clause of clauses) {
      const order = compareSortValues(
        experimentValue(a, clause),
        experimentValue(b, clause),
        clause.ascending,
      );
      if (order !== 0) return order;
    }
    return 0;
  });
}

// ── paging ────────────────────────────────────────────────────────────────────────────────────

export const maxSearchResults = 50_000;

export function encodePageToken(offset: number): string {
  return Buffer.from(JSON.stringify({ offset })).toString('base64');
}

export function decodePageToken(token: string | undefined): number {
  if (!token) return 0;
  let offset: unknown;
  try {
    offset = (JSON.parse(Buffer.from(token, 'base64').toString('utf8')) as { offset?: unknown }).offset;
  } catch {
    throw invalidParameter('Invalid page token, could not base64-decode');
  }
  if (typeof offset !== 'number' || !Number.isSafeInteger(offset) || offset < 0) {
    throw invalidParameter(`Invalid page token, offset is not a non-negative integer.`);
  }
  return offset;
}

export function validateMaxResults(maxResults: number, max = maxSearchResults): void {
  if (!Number.isSafeInteger(maxResults) || maxResults < 1 || maxResults > max) {
    throw invalidParameter(
      `Invalid value for request parameter max_results. It must be at most ${max} and at least 1, ` +
        `but got value ${maxResults}`,
    );
  }
}

export type Page<T> = { items: T[]; nextPageToken?: string };

export function paginate<T>(items: T[], maxResults: number, pageToken: string | undefined): Page<T> {
  validateMaxResults(maxResults);
  const offset = decodePageToken(pageToken);
  const page = items.slice(offset, offset + maxResults);
  const end = offset + page.length;
  return end < items.length ? { items: page, nextPageToken: encodePageToken(end) } : { items: page };
}

// ── the two searches ──────────────────────────────────────────────────────────────────────────

function isInView(stage: LifecycleStage, viewType: ViewType): boolean {
  if (viewType === 'ALL') return true;
  return viewType === 'ACTIVE_ONLY' ? stage === 'active' : stage === 'deleted';
}

export type RunSearch = {
  experimentIds: string[];
  filter?: string;
  viewType?: ViewType;
  maxResults?: number;
  orderBy?: string[];
  pageToken?: string;
};

export function searchRuns(runs: Iterable<Run>, search: RunSearch): Page<Run> {
  const clauses = parseRunFilter(search.filter);
  const orderBy = parseRunOrderBy(search.orderBy);
  const experimentIds = new Set(search.experimentIds);
  const viewType = search.viewType ?? 'ACTIVE_ONLY';
  const matching = [...runs].filter(
    (run) =>
      experimentIds.has(run.experimentId) &&
      isInView(run.lifecycleStage, viewType) &&
      runMatches(run, clauses),
  );
  return paginate(sortRuns(matching, orderBy), search.maxResults ?? 1000, search.pageToken);
}

export type ExperimentSearch = {
  filter?: string;
  viewType?: ViewType;
  maxResults?: number;
  orderBy?: string[];
  pageToken?: string;
};

export function searchExperiments(
  experiments: Iterable<Experiment>,
  search: ExperimentSearch,
): Page<Experiment> {
  const clauses = parseExperimentFilter(search.filter);
  const orderBy = parseExperimentOrderBy(search.orderBy);
  const viewType = search.viewType ?? 'ACTIVE_ONLY';
  const matching = [...experiments].filter(
    (experiment) =>
      isInView(experiment.lifecycleStage, viewType) &&
      clauses.every((clause) => compare(experimentValue(experiment, clause), clause)),
  );
  return paginate(sortExperiments(matching, orderBy), search.maxResults ?? 1000, search.pageToken);
}
