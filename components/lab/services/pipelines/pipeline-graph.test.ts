import { describe, expect, it } from 'vitest';
import type { PipelineView, StageView } from '@/labkit/pipelines/wire';
import { mermaidLabel, pipelineGraph, stageAtNode } from './pipeline-graph';

function stage(id: string, state: StageView['state'], upstream: string[] = []): StageView {
  return {
    id,
    name: id,
    dvcfile: 'dvc.yaml',
    wdir: '.',
    cmd: ['true'],
    frozen: state === 'frozen',
    state,
    reasons: [],
    deps: [],
    params: [],
    outs: [],
    upstream,
  };
}

const view: PipelineView = {
  project: '.',
  projects: ['.'],
  problem: null,
  repro: { running: false },
  stages: [stage('prepare', 'up to date'), stage('train', 'running', ['prepare'])],
  data: [
    { id: 'data:data/raw.csv', path: 'data/raw.csv', kind: 'source' },
    { id: 'data:clean.csv', path: 'clean.csv', kind: 'outs', producer: 'prepare' },
    { id: 'data:metrics.json', path: 'metrics.json', kind: 'metrics', producer: 'train' },
  ],
  edges: [
    { from: 'data:data/raw.csv', to: 'stage:prepare' },
    { from: 'stage:prepare', to: 'data:clean.csv' },
    { from: 'data:clean.csv', to: 'stage:train' },
    { from: 'stage:train', to: 'data:metrics.json' },
  ],
};

describe('pipelineGraph', () => {
  it('draws stages coloured by state and the files between them', () => {
    const { source, stageOfNode } = pipelineGraph(view, { showFiles: true, selected: 'train' });
    const lines = source.split('\n');
    expect(lines[0]).toBe('flowchart LR');
    expect(lines).toContain('  s0["prepare · up to date"]:::state_up_to_date');
    expect(lines).toContain('  s1["train · running"]:::state_running');
    expect(lines).toContain('  d0[("data/raw.csv")]:::data_source');
    expect(lines).toContain('  d2[("metrics.json")]:::data_metrics');
    expect(lines.filter((line) => line.includes('-->'))).toEqual([
      '  d0 --> s0',
      '  s0 --> d1',
      '  d1 --> s1',
      '  s1 --> d2',
    ]);
    expect(lines).toContain('  style s1 stroke-width:3px');
    expect(lines.some((line) => line.startsWith('  classDef state_failed '))).toBe(true);
    expect([...stageOfNode]).toEqual([
      ['s0', 'prepare'],
      ['s1', 'train'],
    ]);
  });

  it('links the stages directly when files are hidden', () => {
    const { source } = pipelineGraph(view, { showFiles: false, selected: null });
    expect(source.split('\n').filter((line) => line.includes('-->'))).toEqual(['  s0 --> s1']);
    expect(source).not.toMatch(/^ {2}d\d+\[/m);
    expect(source).not.toContain('style s');
  });

  it('writes names as text Mermaid cannot read as syntax or markup', () => {
    expect(mermaidLabel('eval@"us"')).toBe('"eval@#34;us#34;"');
    expect(mermaidLabel('<img src=x onerror=alert(1)>')).toBe('"#60;img src=x onerror=alert#40;1#41;#62;"');
    expect(mermaidLabel('a]; click s0 call x()\nb')).toBe('"a#93;#59; click s0 call x#40;#41; b"');
    expect(mermaidLabel('`**md**` #1 & {x} |y|')).toBe('"#96;**md**#96; #35;1 #38; #123;x#125; #124;y#124;"');
  });
});

describe('stageAtNode', () => {
  const stageOfNode = new Map([
    ['s0', 'prepare'],
    ['s1', 'train'],
  ]);
  const element = (id: string, dataId: string | null = null) => ({ id, getAttribute: () => dataId });

  it('finds the stage from the node’s data-id or its element id', () => {
    expect(stageAtNode(element('x', 's1'), stageOfNode)).toBe('train');
    expect(stageAtNode(element('pipeline-r1-3-flowchart-s0-12'), stageOfNode)).toBe('prepare');
    expect(stageAtNode(element('flowchart-d0-3'), stageOfNode)).toBeUndefined();
    expect(stageAtNode(null, stageOfNode)).toBeUndefined();
  });
});
