'use client';

/**
 * The instructor's read-only view of one learner's sandbox: their terminal, live (a read-only tmux
 * client: nothing typed here reaches it), drawn at the learner's terminal size and scaled to fit
 * (ViewerTerminal.tsx), and their workspace files. The web app mints read-only
 * tokens for it (POST …/view-token); the learner's workspace says they are being watched.
 */
import dynamic from 'next/dynamic';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import {
  FilesClient,
  FilesError,
  type FileContent,
  type TreeEntry,
  type WorkspaceTree,
} from '@/components/lab/files-client';
import type { SessionAccess } from '@/components/lab/session-access';
import { apiErrorOf, apiFetch } from '@/lib/http/api-client';
import { ApiError } from '@/lib/http/api-error';
import styles from './Workshops.module.css';

const ViewerTerminal = dynamic(() => import('./ViewerTerminal').then((m) => m.ViewerTerminal), {
  ssr: false,
  loading: () => <p className={styles.muted}>Loading the terminal…</p>,
});

export type LearnerSandbox = { labId: string; labTitle: string; state: string | null };

type Grant = { sessionId: string; token: string; expiresAt: number; runnerBase: string };

const tokenMarginMs = 30_000;

async function requestGrant(workshopId: string, learnerId: string, labId: string): Promise<Grant> {
  const url = `/api/workshops/${encodeURIComponent(workshopId)}/learners/${encodeURIComponent(learnerId)}/view-token`;
  let response: Response;
  try {
    response = await apiFetch(url, { method: 'POST', body: JSON.stringify({ labId }) });
  } catch {
    throw new ApiError(
      0,
      'OFFLINE',
      'The platform cannot be reached. Check your network connection and try again.',
    );
  }
  if (!response.ok) throw await apiErrorOf(response);
  return (await response.json()) as Grant;
}

function useViewAccess(workshopId: string, learnerId: string, labId: string) {
  const [grant, setGrant] = useState<Grant | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [attempt, setAttempt] = useState(0);
  const latest = useRef<Grant | null>(null);

  useEffect(() => {
    let isCancelled = false;
    requestGrant(workshopId, learnerId, labId).then(
      (fresh) => {
        if (isCancelled) return;
        latest.current = fresh;
        setGrant(fresh);
        setError(null);
      },
      (problem: unknown) => {
        if (isCancelled) return;
        latest.current = null;
        setGrant(null);
        setError(problem instanceof Error ? problem.message : 'The view could not be opened.');
      },
    );
    return () => {
      isCancelled = true;
    };
  }, [workshopId, learnerId, labId, attempt]);

  const sessionId = grant?.sessionId ?? null;
  const access = useMemo<SessionAccess | null>(() => {
    if (!sessionId) return null;
    const renew = async () => {
      const fresh = await requestGrant(workshopId, learnerId, labId);
      latest.current = fresh;
      return fresh.token;
    };
    return {
      sessionId,
      runnerBase: '/runner',
      async token() {
        const cached = latest.current;
        if (cached && cached.sessionId === sessionId && cached.expiresAt - tokenMarginMs > Date.now()) {
          return cached.token;
        }
        return renew();
      },
      // A terminal token works once.
      freshToken: renew,
    };
  }, [workshopId, learnerId, labId, sessionId]);

  return { access, error, retry: () => setAttempt((n) => n + 1) };
}

const describe = (error: unknown) =>
  error instanceof FilesError ? error.message : 'The files could not be read.';

const filesOf = (tree: WorkspaceTree) =>
  tree.entries.filter((entry) => entry.type === 'file').sort((a, b) => a.path.localeCompare(b.path));

function WorkspaceFiles({ access }: { access: SessionAccess }) {
  const client = useMemo(() => new FilesClient(access), [access]);
  const [files, setFiles] = useState<TreeEntry[] | null>(null);
  const [chosen, setChosen] = useState<string | null>(null);
  const [content, setContent] = useState<FileContent | null>(null);
  const [problem, setProblem] = useState<string | null>(null);

  const loadTree = useCallback(async () => {
    try {
      setFiles(filesOf(await client.tree()));
      setProblem(null);
    } catch (error) {
      setProblem(describe(error));
    }
  }, [client]);

  const open = useCallback(
    async (path: string) => {
      setChosen(path);
      setContent(null);
      try {
        setContent(await client.read(path));
        setProblem(null);
      } catch (error) {
        setProblem(describe(error));
      }
    },
    [client],
  );

  // The first listing, when the view opens (later ones on demand).
  useEffect(() => {
    let isCancelled = false;
    client.tree().then(
      (tree) => {
        if (!isCancelled) setFiles(filesOf(tree));
      },
      (error: unknown) => {
        if (!isCancelled) setProblem(describe(error));
      },
    );
    return () => {
      isCancelled = true;
    };
  }, [client]);

  return (
    <section aria-labelledby="learner-files" className={styles.viewer}>
      <div>
        <div className={styles.toolbar}>
          <h2 id="learner-files" style={{ margin: 0, fontSize: '1.05rem' }}>
            Files
          </h2>
          <button
            type="button"
            className="button button--secondary"
            onClick={() => {
              void loadTree();
              if (chosen) void open(chosen);
            }}
          >
            Refresh
          </button>
        </div>
        {files === null ? (
          <p className={styles.muted}>Loading the files…</p>
        ) : (
          <ul className={styles.fileList} aria-label="Workspace files" data-testid="learner-files">
            {files.map((file) => (
              <li key={file.path}>
                <button
                  type="button"
                  aria-current={file.path === chosen ? 'true' : undefined}
                  onClick={() => void open(file.path)}
                >
                  {file.path}
                </button>
              </li>
            ))}
          </ul>
        )}
      </div>
      <div>
        <p className={styles.muted} style={{ margin: '0 0 0.5rem' }}>
          {chosen ? (
            <>
              <code>{chosen}</code> (read-only)
            </>
          ) : (
            'Choose a file to read it.'
          )}
        </p>
        {problem && (
          <p role="alert" className={styles.error}>
            {problem}
          </p>
        )}
        {content && (
          <pre className={styles.fileContent} data-testid="learner-file-content" tabIndex={0}>
            {content.content}
          </pre>
        )}
      </div>
    </section>
  );
}

export function LearnerView({
  workshopId,
  learner,
  sandboxes,
}: {
  workshopId: string;
  learner: { id: string; name: string };
  sandboxes: LearnerSandbox[];
}) {
  const [labId, setLabId] = useState(
    () => (sandboxes.find((s) => s.state === 'ready') ?? sandboxes[0])?.labId ?? '',
  );
  const { access, error, retry } = useViewAccess(workshopId, learner.id, labId);

  return (
    <div>
      {sandboxes.length > 1 && (
        <div className={styles.toolbar} role="group" aria-label="Lab">
          {sandboxes.map((sandbox) => (
            <button
              key={sandbox.labId}
              type="button"
              className={`button ${sandbox.labId === labId ? '' : 'button--secondary'}`}
              aria-pressed={sandbox.labId === labId}
              onClick={() => setLabId(sandbox.labId)}
            >
              {sandbox.labTitle} ({sandbox.state ?? 'no sandbox'})
            </button>
          ))}
        </div>
      )}
      {error && (
        <div role="alert" className={styles.card}>
          <p className={styles.error}>{error}</p>
          <button type="button" className="button button--secondary" onClick={retry}>
            Try again
          </button>
        </div>
      )}
      {access && (
        <>
          <section aria-labelledby="learner-terminal" className={styles.section}>
            <h2 id="learner-terminal" style={{ fontSize: '1.05rem' }}>
              Terminal <span className={styles.muted}>(read-only: what you type is not sent)</span>
            </h2>
            <ViewerTerminal key={access.sessionId} access={access} />
          </section>
          <WorkspaceFiles key={access.sessionId} access={access} />
        </>
      )}
    </div>
  );
}
