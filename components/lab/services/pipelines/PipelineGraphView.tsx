'use client';

/**
 * The pipeline's DAG, drawn by the self-hosted Mermaid (loaded on demand, strict security: labels
 * are text, no links or scripts). The previous drawing stays until the new one is ready, so a
 * refresh never flickers. Clicking a stage's box chooses it; the stage list beside the chart does
 * the same from the keyboard.
 */
import { useEffect, useId, useRef, useState, type MouseEvent } from 'react';
import { useTheme } from '@/components/ui/theme';
import { stageAtNode, type PipelineGraph } from './pipeline-graph';
import styles from './Pipelines.module.css';

export function PipelineGraphView({
  graph,
  onChoose,
}: {
  graph: PipelineGraph;
  onChoose(stage: string): void;
}) {
  const theme = useTheme();
  const id = `pipeline-${useId().replace(/[^a-zA-Z0-9_-]/g, '')}`;
  const [svg, setSvg] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const countRef = useRef(0);

  useEffect(() => {
    let cancelled = false;
    const count = ++countRef.current;
    (async () => {
      const mermaid = (await import('mermaid')).default;
      mermaid.initialize({
        startOnLoad: false,
        securityLevel: 'strict',
        theme: theme === 'dark' ? 'dark' : 'default',
        fontFamily: 'inherit',
        flowchart: { htmlLabels: false },
      });
      const { svg: drawn } = await mermaid.render(`${id}-${count}`, graph.source);
      if (!cancelled) {
        setSvg(drawn);
        setError(null);
      }
    })().catch((reason: unknown) => {
      if (!cancelled) setError(reason instanceof Error ? reason.message : String(reason));
    });
    return () => {
      cancelled = true;
    };
  }, [graph.source, theme, id]);

  const onClick = (event: MouseEvent<HTMLDivElement>) => {
    const node = (event.target as Element).closest('g.node');
    const stage = stageAtNode(node, graph.stageOfNode);
    if (stage) onChoose(stage);
  };

  return (
    <figure className={styles.graph} data-testid="pipelines-graph" data-rendered={svg ? 'true' : 'false'}>
      {svg ? (
        // Mermaid's own output (strict mode): the labels are text it escaped.
        <div className={styles.graphSvg} onClick={onClick} dangerouslySetInnerHTML={{ __html: svg }} />
      ) : (
        <p className={styles.graphLoading}>Drawing the pipeline…</p>
      )}
      {error ? (
        <figcaption className={styles.graphError}>The graph could not be drawn: {error}</figcaption>
      ) : null}
    </figure>
  );
}
