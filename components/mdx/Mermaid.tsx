'use client';

import { useEffect, useId, useState } from 'react';
import { useTheme } from '@/components/ui/theme';

/**
 * A Mermaid diagram, rendered to SVG in the browser by the self-hosted `mermaid` package (loaded on
 * demand, never from a CDN). Until then, and without JavaScript, the diagram's source is shown.
 */
export function Mermaid({ chart }: { chart: string }) {
  const theme = useTheme();
  const id = `mermaid-${useId().replace(/[^a-zA-Z0-9_-]/g, '')}`;
  const [rendered, setRendered] = useState<{ svg: string; theme: string } | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    let cancelled = false;
    (async () => {
      const mermaid = (await import('mermaid')).default;
      mermaid.initialize({
        startOnLoad: false,
        securityLevel: 'strict',
        theme: theme === 'dark' ? 'dark' : 'default',
        fontFamily: 'inherit',
      });
      const { svg } = await mermaid.render(`${id}-${theme}`, chart);
      if (!cancelled) setRendered({ svg, theme });
    })().catch((reason: unknown) => {
      if (!cancelled) setError(reason instanceof Error ? reason.message : String(reason));
    });
    return () => {
      cancelled = true;
    };
  }, [chart, theme, id]);

  return (
    <figure className="diagram" data-rendered={rendered ? 'true' : 'false'}>
      {rendered ? (
        <div className="diagram__svg" dangerouslySetInnerHTML={{ __html: rendered.svg }} />
      ) : (
        <pre className="diagram__source">
          <code>{chart}</code>
        </pre>
      )}
      {error ? (
        <figcaption className="diagram__error">This diagram could not be drawn: {error}</figcaption>
      ) : null}
      {rendered ? (
        <details className="diagram__details">
          <summary>Diagram source</summary>
          <pre>
            <code>{chart}</code>
          </pre>
        </details>
      ) : null}
    </figure>
  );
}
