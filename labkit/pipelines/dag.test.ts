import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDirsForEachTest } from '@/tests/support/temp-dir';
import { buildDag, renderMermaid, renderText, topologicalOrder, withDownstream, withUpstream } from './dag';
import { parseDvcYaml } from './dvc-yaml';
import { expandPipeline } from './expand';

const newDir = tempDirsForEachTest('labkit-dag-');

function dagOf(yaml: string) {
  const root = newDir();
  const pipeline = expandPipeline(parseDvcYaml(yaml, 'dvc.yaml'), {
    root,
    dvcfile: path.join(root, 'dvc.yaml'),
    display: 'dvc.yaml',
  });
  return buildDag(pipeline.stages, [], root);
}

const getStarted = `stages:
  prepare:
    cmd: p
    deps: [data/data.xml]
    outs: [data/prepared]
  featurize:
    cmd: f
    deps: [data/prepared]
    outs: [data/features]
  train:
    cmd: t
    deps: [data/features/train.pkl]
    outs: [model.pkl]
  evaluate:
    cmd: e
    deps: [model.pkl, data/features]
    outs: [eval]
`;

describe('the pipeline graph', () => {
  it('links a stage to what produces its dependency, a file inside an output folder included', () => {
    const dag = dagOf(getStarted);
    expect([...dag.upstream.get('train')!]).toEqual(['featurize']);
    expect([...dag.upstream.get('evaluate')!].sort()).toEqual(['featurize', 'train']);
    expect(topologicalOrder(dag, new Set(dag.nodes.keys()))).toEqual([
      'prepare',
      'featurize',
      'train',
      'evaluate',
    ]);
    expect([...withUpstream(dag, ['train'])].sort()).toEqual(['featurize', 'prepare', 'train']);
    expect([...withDownstream(dag, ['train'])].sort()).toEqual(['evaluate', 'train']);
  });

  it('renders Mermaid as dvc dag --mermaid does, and text in run order', () => {
    const dag = dagOf(getStarted);
    expect(renderMermaid(dag)).toBe(
      'flowchart TD\n\tnode1["evaluate"]\n\tnode2["featurize"]\n\tnode3["prepare"]\n\tnode4["train"]\n' +
        '\tnode2-->node1\n\tnode2-->node4\n\tnode3-->node2\n\tnode4-->node1',
    );
    expect(renderText(dag)).toEqual([
      'prepare',
      'featurize  ← prepare',
      'train  ← featurize',
      'evaluate  ← featurize, train',
    ]);
  });

  it('refuses a cycle, naming its stages', () => {
    expect(() =>
      dagOf(
        'stages:\n  a:\n    cmd: a\n    deps: [b.txt]\n    outs: [a.txt]\n  b:\n    cmd: b\n    deps: [a.txt]\n    outs: [b.txt]\n',
      ),
    ).toThrow('Pipeline has a cycle involving: a, b.');
  });

  it('refuses two stages writing one output, naming both', () => {
    expect(() =>
      dagOf('stages:\n  a:\n    cmd: a\n    outs: [model.pkl]\n  b:\n    cmd: b\n    metrics: [model.pkl]\n'),
    ).toThrow(
      "output 'model.pkl' is specified in:\n\t- stage 'a' (dvc.yaml), outs\n\t- stage 'b' (dvc.yaml), metrics",
    );
  });

  it('refuses an output inside another output', () => {
    expect(() =>
      dagOf('stages:\n  a:\n    cmd: a\n    outs: [data]\n  b:\n    cmd: b\n    outs: [data/part.csv]\n'),
    ).toThrow(
      "The output paths:\n'data' (stage 'a' (dvc.yaml))\n'data/part.csv' (stage 'b' (dvc.yaml))\noverlap",
    );
  });
});
