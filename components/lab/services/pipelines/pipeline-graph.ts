/**
 * The pipeline drawn as a Mermaid flowchart: stages as boxes coloured by their state, files as
 * cylinders between them (or, without files, stages linked to the stages they need). Names come
 * from the learner's dvc.yaml, so they are written into Mermaid's text as quoted labels with every
 * character Mermaid reads specially replaced by its entity; node ids are our own (`s0`, `d0`…), so
 * a click on a drawn node maps back to its stage.
 */
import type { PipelineView, StageState } from '@/labkit/pipelines/wire';

export type GraphOptions = {
  /** Draw the files between the stages (deps, outs, metrics, plots). */
  showFiles: boolean;
  /** The stage shown in the details, drawn with a thicker border. */
  selected: string | null;
};

export type PipelineGraph = {
  /** The Mermaid source. */
  source: string;
  /** Node id → stage id, for the drawn stages. */
  stageOfNode: Map<string, string>;
};

/** Colours per state, readable on the light and the dark theme (dark text on a light fill). */
const stateStyles: Record<StageState, string> = {
  'up to date': 'fill:#d7f3df,stroke:#2f8a4a,color:#0f3a1c',
  changed: 'fill:#fff0c2,stroke:#b7791f,color:#3d2a00',
  running: 'fill:#d8e7ff,stroke:#2b6cd4,color:#0b2a5c,stroke-dasharray:5 3',
  failed: 'fill:#ffdad6,stroke:#c53030,color:#4a0d0a',
  frozen: 'fill:#e8e8ec,stroke:#6b6b76,color:#25252b',
};

export const stateClass = (state: StageState): string => `state_${state.replace(/ /g, '_')}`;

/** Text as a Mermaid label: quoted, with quotes, markup and Mermaid's own characters as entities. */
export function mermaidLabel(text: string): string {
  const escaped = text
    .replace(/[\r\n\t]+/g, ' ')
    .replace(/[#"<>&`[\]{}()|;]/g, (character) => `#${character.codePointAt(0)};`);
  return `"${escaped}"`;
}

/** The flowchart of a pipeline view. */
export function pipelineGraph(view: PipelineView, options: GraphOptions): PipelineGraph {
  const lines = ['flowchart LR'];
  const stageOfNode = new Map<string, string>();
  const nodeOfStage = new Map<string, string>();
  view.stages.forEach((stage, index) => {
    const node = `s${index}`;
    stageOfNode.set(node, stage.id);
    nodeOfStage.set(stage.id, node);
    lines.push(`  ${node}[${mermaidLabel(`${stage.id} · ${stage.state}`)}]:::${stateClass(stage.state)}`);
  });
  const edges: string[] = [];
  if (options.showFiles) {
    const nodeOfData = new Map<string, string>();
    view.data.forEach((data, index) => {
      const node = `d${index}`;
      nodeOfData.set(data.id, node);
      lines.push(`  ${node}[(${mermaidLabel(data.path)})]:::data_${data.kind}`);
    });
    const nodeOf = (id: string) =>
      id.startsWith('stage:') ? nodeOfStage.get(id.slice(6)) : nodeOfData.get(id);
    for (const edge of view.edges) {
      const from = nodeOf(edge.from);
      const to = nodeOf(edge.to);
      if (from && to) edges.push(`  ${from} --> ${to}`);
    }
  } else {
    for (const stage of view.stages) {
      for (const upstream of stage.upstream) {
        const from = nodeOfStage.get(upstream);
        const to = nodeOfStage.get(stage.id);
        if (from && to) edges.push(`  ${from} --> ${to}`);
      }
    }
  }
  lines.push(...edges);
  for (const [state, style] of Object.entries(stateStyles)) {
    lines.push(`  classDef ${stateClass(state as StageState)} ${style}`);
  }
  lines.push('  classDef data_source fill:none,stroke:#8a8a96');
  lines.push('  classDef data_tracked fill:none,stroke:#8a8a96');
  lines.push('  classDef data_outs fill:none,stroke:#8a8a96');
  lines.push('  classDef data_metrics fill:none,stroke:#8a8a96,stroke-dasharray:3 3');
  lines.push('  classDef data_plots fill:none,stroke:#8a8a96,stroke-dasharray:3 3');
  const selected = options.selected === null ? undefined : nodeOfStage.get(options.selected);
  if (selected) lines.push(`  style ${selected} stroke-width:3px`);
  return { source: lines.join('\n'), stageOfNode };
}

/**
 * The stage a click on the drawn chart is on: Mermaid gives each node's group `data-id` (our node
 * id) or an element id ending in `flowchart-<node id>-<n>`.
 */
export function stageAtNode(
  element: { getAttribute(name: string): string | null; id: string } | null,
  stageOfNode: Map<string, string>,
): string | undefined {
  if (!element) return undefined;
  const dataId = element.getAttribute('data-id');
  if (dataId && stageOfNode.has(dataId)) return stageOfNode.get(dataId);
  const match = /flowchart-(s\d+)-\d+$/.exec(element.id);
  return match ? stageOfNode.get(match[1]!) : undefined;
}
