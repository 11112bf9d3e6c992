'use client';

/**
 * A run's artifacts: a folder tree (folders load when opened) and a preview of the chosen file.
 * Text and JSON are rendered as text, never as markup; images come from a blob typed by their
 * extension and fetched with the session's token. Previews read a capped number of bytes.
 */
import { useEffect, useState } from 'react';
import {
  baseName,
  decodeText,
  imagePreviewMaxBytes,
  imageTypeOf,
  previewKindOf,
  prettyJson,
  sortArtifacts,
  textPreviewMaxBytes,
} from './artifact-preview';
import { formatBytes } from './format';
import { TrackingError, type ArtifactFile, type Run, type TrackingClient } from './tracking-client';
import { useLiveQuery } from './use-live-query';
import styles from './Tracking.module.css';

type BrowserProps = { client: TrackingClient; run: Run; isLive: boolean };

function Folder({
  client,
  run,
  path,
  isLive,
  chosen,
  onChoose,
}: {
  client: TrackingClient;
  run: Run;
  path: string;
  isLive: boolean;
  chosen: ArtifactFile | null;
  onChoose(file: ArtifactFile): void;
}) {
  const listing = useLiveQuery(`${run.id}/${path}`, () => client.artifacts(run.id, path), {
    intervalMs: 10_000,
    isLive,
  });
  const [open, setOpen] = useState<ReadonlySet<string>>(new Set());
  if (listing.error && !listing.data) {
    return <p className={styles.inlineError}>{listing.error.message}</p>;
  }
  if (!listing.data) return <p className={styles.muted}>Loading…</p>;
  if (listing.data.length === 0 && path === '') {
    return (
      <p className={styles.muted}>
        No artifacts. Files a run logs (<code>mlflow.log_artifact(&quot;plot.png&quot;)</code>,{' '}
        <code>log_dict</code>, <code>log_text</code>, a logged model) appear here.
      </p>
    );
  }
  return (
    <ul className={styles.tree} aria-label={path === '' ? 'Artifacts' : undefined}>
      {sortArtifacts(listing.data).map((file) => {
        const isOpen = open.has(file.path);
        return (
          <li key={file.path}>
            {file.isDir ? (
              <>
                <button
                  type="button"
                  className={styles.treeItem}
                  aria-expanded={isOpen}
                  onClick={() =>
                    setOpen((previous) => {
                      const next = new Set(previous);
                      if (next.has(file.path)) next.delete(file.path);
                      else next.add(file.path);
                      return next;
                    })
                  }
                >
                  <span aria-hidden="true" className={styles.treeIcon}>
                    {isOpen ? '▾' : '▸'}
                  </span>
                  {baseName(file.path)}/
                </button>
                {isOpen && (
                  <Folder
                    client={client}
                    run={run}
                    path={file.path}
                    isLive={isLive}
                    chosen={chosen}
                    onChoose={onChoose}
                  />
                )}
              </>
            ) : (
              <button
                type="button"
                className={styles.treeItem}
                aria-current={chosen?.path === file.path ? 'true' : undefined}
                onClick={() => onChoose(file)}
              >
                <span aria-hidden="true" className={styles.treeIcon}>
                  ·
                </span>
                {baseName(file.path)}
                {file.size !== null && <span className={styles.fileSize}>{formatBytes(file.size)}</span>}
              </button>
            )}
          </li>
        );
      })}
    </ul>
  );
}

type Preview =
  | { kind: 'loading' }
  | { kind: 'text'; text: string; isTruncated: boolean; isJson: boolean }
  | { kind: 'image'; url: string }
  | { kind: 'binary' }
  | { kind: 'none'; reason: string }
  | { kind: 'error'; message: string };

function ArtifactPreview({ client, run, file }: { client: TrackingClient; run: Run; file: ArtifactFile }) {
  const [preview, setPreview] = useState<Preview>({ kind: 'loading' });
  // The run object changes with every refresh; the file's location does not.
  const { artifactUri } = run;

  useEffect(() => {
    let isCurrent = true;
    let objectUrl: string | null = null;
    const kind = previewKindOf(file.path);
    const show = (next: Preview) => {
      if (isCurrent) setPreview(next);
    };
    show({ kind: 'loading' });
    (async () => {
      if (kind === 'none') {
        return show({ kind: 'none', reason: 'There is no preview for this kind of file.' });
      }
      if (kind === 'image') {
        if (file.size !== null && file.size > imagePreviewMaxBytes) {
          return show({
            kind: 'none',
            reason: `This image is ${formatBytes(file.size)}; images over ${formatBytes(imagePreviewMaxBytes)} are not previewed.`,
          });
        }
        const content = await client.artifact({ artifactUri }, file.path, imagePreviewMaxBytes);
        if (content.isTruncated) {
          return show({
            kind: 'none',
            reason: `Images over ${formatBytes(imagePreviewMaxBytes)} are not previewed.`,
          });
        }
        const blob = new Blob([content.bytes as BlobPart], { type: imageTypeOf(file.path) ?? 'image/png' });
        objectUrl = URL.createObjectURL(blob);
        if (!isCurrent) URL.revokeObjectURL(objectUrl);
        return show({ kind: 'image', url: objectUrl });
      }
      const content = await client.artifact({ artifactUri }, file.path, textPreviewMaxBytes);
      const decoded = decodeText(content.bytes, content.isTruncated);
      if (decoded.kind === 'binary') return show({ kind: 'binary' });
      const isJson = kind === 'json' && !content.isTruncated;
      show({
        kind: 'text',
        text: isJson ? prettyJson(decoded.text) : decoded.text,
        isTruncated: content.isTruncated,
        isJson,
      });
    })().catch((error: unknown) =>
      show({
        kind: 'error',
        message: error instanceof TrackingError ? error.message : 'The file could not be read.',
      }),
    );
    return () => {
      isCurrent = false;
      if (objectUrl) URL.revokeObjectURL(objectUrl);
    };
  }, [client, artifactUri, file]);

  const name = baseName(file.path);
  return (
    <section
      className={styles.preview}
      aria-label={`Preview of ${file.path}`}
      data-testid="tracking-artifact-preview"
    >
      <header className={styles.previewHeader}>
        <span className={styles.previewName}>{file.path}</span>
        {file.size !== null && <span className={styles.muted}>{formatBytes(file.size)}</span>}
      </header>
      {preview.kind === 'loading' && <p className={styles.muted}>Loading…</p>}
      {preview.kind === 'error' && <p className={styles.inlineError}>{preview.message}</p>}
      {preview.kind === 'none' && <p className={styles.muted}>{preview.reason}</p>}
      {preview.kind === 'binary' && (
        <p className={styles.muted}>This file is binary; there is no text to show.</p>
      )}
      {preview.kind === 'image' && (
        // eslint-disable-next-line @next/next/no-img-element -- a blob URL, not an optimisable asset
        <img className={styles.previewImage} src={preview.url} alt={`Artifact image ${name}`} />
      )}
      {preview.kind === 'text' && (
        <>
          {preview.isTruncated && (
            <p className={styles.muted}>
              Showing the first {formatBytes(textPreviewMaxBytes)}
              {file.size !== null ? ` of ${formatBytes(file.size)}` : ''}.
            </p>
          )}
          <pre className={styles.previewText} tabIndex={0} data-format={preview.isJson ? 'json' : 'text'}>
            {preview.text}
          </pre>
        </>
      )}
    </section>
  );
}

export function ArtifactBrowser({ client, run, isLive }: BrowserProps) {
  const [chosen, setChosen] = useState<ArtifactFile | null>(null);
  return (
    <div className={styles.artifacts}>
      <div className={styles.artifactTree}>
        <Folder client={client} run={run} path="" isLive={isLive} chosen={chosen} onChoose={setChosen} />
      </div>
      {chosen ? (
        <ArtifactPreview client={client} run={run} file={chosen} />
      ) : (
        <p className={`${styles.muted} ${styles.previewHint}`}>Choose a file to preview it.</p>
      )}
    </div>
  );
}
