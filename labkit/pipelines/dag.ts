/**
 * The pipeline graph, as DVC builds it: a node per stage and per `.dvc` file, and an edge from a
 * stage to whatever produces one of its dependencies (the same path, a folder holding it, or
 * something inside it when the dependency is a folder). Refused, before anything runs, with
 * DVC's words: two stages writing one output, an output inside another output, and cycles.
 *
 * Rendered as text (each stage under the stages it needs), as Mermaid in DVC's `dvc dag --mermaid`
 * format, or as JSON for a UI.
 */
import path from 'node:path';
import { compareCodePoints } from '../data/python-json';
import type { DataSource } from './project';
import type { Stage } from './stage';

export class PipelineGraphError extends Error {
  override name = 'PipelineGraphError';
}

export type DagNode =
  { kind: 'stage'; id: string; stage: Stage } | { kind: 'data'; id: string; source: DataSource };

export type Dag = {
  nodes: Map<string, DagNode>;
  /** id → the ids it depends on. */
  upstream: Map<string, Set<string>>;
  /** id → the ids that depend on it. */
  downstream: Map<string, Set<string>>;
};

type OwnedOut = { absolute: string; display: string; owner: DagNode; field: string };

function isInside(child: string, parent: string): boolean {
  return child.startsWith(parent.endsWith(path.sep) ? parent : `${parent}${path.sep}`);
}

function describeOwner(node: DagNode): string {
  return node.kind === 'stage'
    ? `stage '${node.stage.addressing}' (${node.stage.dvcfileDisplay})`
    : `'${node.id}'`;
}

export function buildDag(stages: Stage[], dataSources: DataSource[], root: string): Dag {
  const nodes = new Map<string, DagNode>();
  for (const source of dataSources)
    nodes.set(source.addressing, { kind: 'data', id: source.addressing, source });
  for (const stage of stages) {
    if (nodes.has(stage.addressing)) {
      throw new PipelineGraphError(
        `stage '${stage.addressing}' is defined twice in ${stage.dvcfileDisplay}.`,
      );
    }
    nodes.set(stage.addressing, { kind: 'stage', id: stage.addressing, stage });
  }
  const relative = (absolute: string) => path.relative(root, absolute).split(path.sep).join('/');

  const outs: OwnedOut[] = [];
  for (const node of nodes.values()) {
    if (node.kind === 'stage') {
      for (const out of node.stage.outs) {
        if (!out.external)
          outs.push({
            absolute: out.absolute,
            display: relative(out.absolute),
            owner: node,
            field: out.kind,
          });
      }
    } else {
      for (const out of node.source.outs)
        outs.push({ absolute: out.absolute, display: relative(out.absolute), owner: node, field: 'outs' });
    }
  }
  const byPath = new Map<string, OwnedOut>();
  for (const out of outs) {
    const existing = byPath.get(out.absolute);
    if (existing) {
      throw new PipelineGraphError(
        existing.owner === out.owner
          ? `output '${out.display}' is listed twice in ${describeOwner(out.owner)}.`
          : `output '${out.display}' is specified in:\n\t- ${describeOwner(existing.owner)}, ${existing.field}\n\t- ${describeOwner(out.owner)}, ${out.field}\nA path may be the output of one stage only.`,
      );
    }
    byPath.set(out.absolute, out);
  }
  const sorted = [...outs].sort((a, b) => compareCodePoints(a.absolute, b.absolute));
  for (let i = 0; i < sorted.length; i++) {
    for (let j = i + 1; j < sorted.length && isInside(sorted[j]!.absolute, sorted[i]!.absolute); j++) {
      const parent = sorted[i]!;
      const child = sorted[j]!;
      throw new PipelineGraphError(
        `The output paths:\n'${parent.display}' (${describeOwner(parent.owner)})\n'${child.display}' (${describeOwner(child.owner)})\n` +
          'overlap and are thus in the same tracked directory.\n' +
          'To keep reproducibility, outputs should be in separate tracked directories or tracked individually.',
      );
    }
  }

  const upstream = new Map<string, Set<string>>();
  const downstream = new Map<string, Set<string>>();
  for (const id of nodes.keys()) {
    upstream.set(id, new Set());
    downstream.set(id, new Set());
  }
  for (const node of nodes.values()) {
    if (node.kind !== 'stage') continue;
    for (const dep of node.stage.deps) {
      if (dep.external) continue;
      for (const out of outs) {
        if (
          out.absolute === dep.absolute ||
          isInside(dep.absolute, out.absolute) ||
          isInside(out.absolute, dep.absolute)
        ) {
          upstream.get(node.id)!.add(out.owner.id);
          downstream.get(out.owner.id)!.add(node.id);
        }
      }
    }
  }
  const dag = { nodes, upstream, downstream };
  const cycle = findCycle(dag);
  if (cycle) throw new PipelineGraphError(`Pipeline has a cycle involving: ${cycle.join(', ')}.`);
  return dag;
}

/** The stages of one cycle, if there is one. */
function findCycle(dag: Dag): string[] | undefined {
  const state = new Map<string, 'visiting' | 'done'>();
  const stack: string[] = [];
  const visit = (id: string): string[] | undefined => {
    state.set(id, 'visiting');
    stack.push(id);
    for (const next of [...dag.upstream.get(id)!].sort(compareCodePoints)) {
      if (state.get(next) === 'visiting') return stack.slice(stack.indexOf(next));
      if (!state.has(next)) {
        const found = visit(next);
        if (found) return found;
      }
    }
    stack.pop();
    state.set(id, 'done');
    return undefined;
  };
  for (const id of [...dag.nodes.keys()].sort(compareCodePoints)) {
    if (!state.has(id)) {
      const found = visit(id);
      if (found) return found;
    }
  }
  return undefined;
}

/** Everything `ids` need, themselves included; a frozen stage's own upstream is not followed. */
export function withUpstream(dag: Dag, ids: Iterable<string>): Set<string> {
  const result = new Set<string>();
  const visit = (id: string) => {
    if (result.has(id)) return;
    result.add(id);
    const node = dag.nodes.get(id);
    if (node?.kind === 'stage' && node.stage.frozen) return;
    for (const next of dag.upstream.get(id) ?? []) visit(next);
  };
  for (const id of ids) visit(id);
  return result;
}

/** `ids` and everything that depends on them. */
export function withDownstream(dag: Dag, ids: Iterable<string>): Set<string> {
  const result = new Set<string>();
  const visit = (id: string) => {
    if (result.has(id)) return;
    result.add(id);
    for (const next of dag.downstream.get(id) ?? []) visit(next);
  };
  for (const id of ids) visit(id);
  return result;
}

/** The ids in an order where each comes after what it depends on (ties in definition order). */
export function topologicalOrder(dag: Dag, ids: Set<string>): string[] {
  const order: string[] = [];
  const done = new Set<string>();
  const visit = (id: string) => {
    if (done.has(id)) return;
    done.add(id);
    for (const next of dag.upstream.get(id) ?? []) if (ids.has(next)) visit(next);
    order.push(id);
  };
  for (const id of dag.nodes.keys()) if (ids.has(id)) visit(id);
  return order;
}

/** The connected pipelines of the graph, each as its ids, in the order their first node was defined. */
function components(dag: Dag): string[][] {
  const seen = new Set<string>();
  const result: string[][] = [];
  for (const start of dag.nodes.keys()) {
    if (seen.has(start)) continue;
    const members: string[] = [];
    const queue = [start];
    seen.add(start);
    while (queue.length) {
      const id = queue.pop()!;
      members.push(id);
      for (const next of [...dag.upstream.get(id)!, ...dag.downstream.get(id)!]) {
        if (!seen.has(next)) {
          seen.add(next);
          queue.push(next);
        }
      }
    }
    result.push(members);
  }
  return result;
}

/** DVC's `dvc dag --mermaid`: per pipeline, its nodes sorted and numbered, then its edges sorted. */
export function renderMermaid(dag: Dag): string {
  let text = 'flowchart TD';
  let count = 0;
  for (const members of components(dag)) {
    const numbers = new Map<string, string>();
    for (const id of members.sort(compareCodePoints)) {
      count += 1;
      numbers.set(id, `node${count}`);
      text += `\n\t${numbers.get(id)}["${id}"]`;
    }
    const edges: [string, string][] = [];
    for (const id of members) for (const up of dag.upstream.get(id)!) edges.push([up, id]);
    edges.sort((a, b) => compareCodePoints(a[0], b[0]) || compareCodePoints(a[1], b[1]));
    for (const [from, to] of edges) text += `\n\t${numbers.get(from)}-->${numbers.get(to)}`;
  }
  return text;
}

/** A plain-text DAG: the stages in run order, each with what it needs (`prepare → featurize`). */
export function renderText(dag: Dag): string[] {
  const order = topologicalOrder(dag, new Set(dag.nodes.keys()));
  return order.map((id) => {
    const ups = [...dag.upstream.get(id)!].sort(compareCodePoints);
    return ups.length ? `${id}  ← ${ups.join(', ')}` : id;
  });
}
