'use client';

/**
 * The instructions pane: the lab's steps with their status, the current step's text, its Check
 * button and feedback, hints one at a time, the reference solution behind a confirmation, and
 * navigation between steps. Steps can be read ahead; each one is completed by its own check.
 */
import { useEffect, useRef, useState, type ReactNode } from 'react';
import { ApiError } from '@/lib/http/api-error';
import { labApi, type LabProgressView, type StepCheckResult } from './lab-api';
import styles from './LabWorkspace.module.css';

export type StepView = { id: string; title: string; body: ReactNode; hints: string[] };

type Props = {
  labId: string;
  steps: StepView[];
  progress: LabProgressView | null;
  currentStep: string;
  onSelectStep: (stepId: string) => void;
  /** Whether the sandbox is ready (Check needs it). */
  canCheck: boolean;
  onChecked: () => void;
  /** The learner copied a solution into their workspace: the editor should refresh. */
  onSolutionApplied: () => void;
};

type Feedback = { result: StepCheckResult } | { problem: string };

const statusLabel = { passed: 'done', failed: 'not passed yet', 'not-started': 'not checked yet' } as const;

function hintKey(labId: string, stepId: string) {
  return `academy:hints:${labId}:${stepId}`;
}

/** Plain text where `backticks` mark code, as hints and check messages write it. */
export function TextWithCode({ text }: { text: string }) {
  const parts = text.split(/`([^`\n]+)`/);
  return <>{parts.map((part, i) => (i % 2 === 1 ? <code key={i}>{part}</code> : part))}</>;
}

function StepStatusIcon({ status }: { status: keyof typeof statusLabel }) {
  const glyph = status === 'passed' ? '✓' : status === 'failed' ? '✗' : '○';
  return (
    <span
      className={`${styles.stepIcon} ${styles[`stepIcon_${status.replace('-', '_')}`]}`}
      aria-hidden="true"
    >
      {glyph}
    </span>
  );
}

function CheckFeedback({ feedback }: { feedback: Feedback }) {
  if ('problem' in feedback) {
    return (
      <div
        className={`${styles.feedback} ${styles.feedback_error}`}
        data-testid="check-result"
        data-status="problem"
      >
        <p className={styles.feedbackTitle}>The check could not start</p>
        <p>{feedback.problem}</p>
      </div>
    );
  }
  const { result } = feedback;
  const title = {
    pass: 'Passed: this step is done',
    fail: 'Not yet: here is what to fix',
    error: 'The check could not decide',
  }[result.status];
  return (
    <div
      className={`${styles.feedback} ${styles[`feedback_${result.status}`]}`}
      data-testid="check-result"
      data-status={result.status}
    >
      <p className={styles.feedbackTitle}>{title}</p>
      <p>
        <TextWithCode text={result.message} />
      </p>
      {result.details.length > 0 && (
        <ul className={styles.details}>
          {result.details.map((detail, index) => (
            <li key={`${detail.name}-${index}`} className={styles[`detail_${detail.status}`]}>
              <span aria-hidden="true">
                {detail.status === 'pass' ? '✓' : detail.status === 'fail' ? '✗' : '!'}
              </span>{' '}
              <strong>{detail.name}</strong>
              <span className="visually-hidden">{` (${detail.status})`}</span>
              {detail.message ? (
                <>
                  : <TextWithCode text={detail.message} />
                </>
              ) : null}
            </li>
          ))}
        </ul>
      )}
      <p className={styles.feedbackMeta}>Checked in {(result.durationMs / 1000).toFixed(1)} s</p>
    </div>
  );
}

/** A step's hints, revealed one at a time; how many were shown is remembered in this browser. */
function Hints({ labId, stepId, hints }: { labId: string; stepId: string; hints: string[] }) {
  // Rendered only in the browser (after the learner's progress loaded), so localStorage is there.
  const [shown, setShown] = useState(() => {
    try {
      return Math.min(hints.length, Number(localStorage.getItem(hintKey(labId, stepId)) ?? 0) || 0);
    } catch {
      return 0;
    }
  });
  if (hints.length === 0) return null;
  const showHint = () => {
    const count = Math.min(hints.length, shown + 1);
    setShown(count);
    try {
      localStorage.setItem(hintKey(labId, stepId), String(count));
    } catch {
      // Hints still show for this visit.
    }
  };
  return (
    <section className={styles.hints} aria-label="Hints">
      {hints.slice(0, shown).map((hint, i) => (
        <p key={i} className={styles.hint}>
          <strong>Hint {i + 1}.</strong> <TextWithCode text={hint} />
        </p>
      ))}
      {shown < hints.length && (
        <button type="button" className={styles.linkButton} onClick={showHint}>
          {shown === 0 ? 'Show a hint' : 'Show another hint'} ({shown + 1} of {hints.length})
        </button>
      )}
    </section>
  );
}

function Solution({
  labId,
  stepId,
  revealed,
  canApply,
  onApplied,
}: {
  labId: string;
  stepId: string;
  revealed: boolean;
  canApply: boolean;
  onApplied: () => void;
}) {
  const dialogRef = useRef<HTMLDialogElement>(null);
  const [files, setFiles] = useState<{ path: string; content: string }[] | null>(null);
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState<string | null>(null);

  const reveal = async (apply: boolean) => {
    setBusy(true);
    setMessage(null);
    try {
      const answer = await labApi.solution(labId, stepId, apply);
      setFiles(answer.files);
      if (apply) {
        setMessage('The solution files are in your workspace now.');
        onApplied();
      }
    } catch (error) {
      setMessage(error instanceof ApiError ? error.message : 'Could not load the solution.');
    } finally {
      setBusy(false);
    }
  };

  return (
    <section className={styles.solution} aria-label="Solution">
      {!files && (
        <button
          type="button"
          className={styles.linkButton}
          onClick={() => (revealed ? void reveal(false) : dialogRef.current?.showModal())}
          disabled={busy}
        >
          {revealed ? 'Show the solution again' : 'Reveal the solution…'}
        </button>
      )}
      <dialog
        ref={dialogRef}
        className={styles.dialog}
        aria-labelledby={`reveal-${stepId}-title`}
        onClose={() => {
          if (dialogRef.current?.returnValue === 'reveal') void reveal(false);
        }}
      >
        <form method="dialog">
          <h2 id={`reveal-${stepId}-title`}>Reveal the solution?</h2>
          <p>
            Working it out yourself is how it sticks; the hints may be enough. Revealing is recorded in your
            progress, and instructors can see it.
          </p>
          <div className={styles.dialogActions}>
            <button type="submit" value="cancel" className="button button--secondary">
              Keep trying
            </button>
            <button type="submit" value="reveal" className="button">
              Reveal the solution
            </button>
          </div>
        </form>
      </dialog>
      {files && (
        <div className={styles.solutionFiles}>
          <p className={styles.solutionNote}>
            Reference solution ({files.length === 1 ? '1 file' : `${files.length} files`}):
          </p>
          {files.map((file) => (
            <details key={file.path} open={files.length === 1}>
              <summary>
                <code>{file.path}</code>
              </summary>
              <pre className={styles.solutionCode}>
                <code>{file.content}</code>
              </pre>
            </details>
          ))}
          <button
            type="button"
            className="button button--secondary"
            disabled={!canApply || busy}
            onClick={() => void reveal(true)}
            title={canApply ? undefined : 'Start the lab to copy files into your workspace'}
          >
            Copy the solution into my workspace
          </button>
        </div>
      )}
      {message && (
        <p className={styles.solutionNote} role="status">
          {message}
        </p>
      )}
    </section>
  );
}

export function StepPanel({
  labId,
  steps,
  progress,
  currentStep,
  onSelectStep,
  canCheck,
  onChecked,
  onSolutionApplied,
}: Props) {
  const index = Math.max(
    0,
    steps.findIndex((s) => s.id === currentStep),
  );
  const step = steps[index] ?? steps[0];
  const [feedback, setFeedback] = useState<Record<string, Feedback>>({});
  const [checking, setChecking] = useState<string | null>(null);
  const bodyRef = useRef<HTMLDivElement>(null);

  useEffect(() => {
    bodyRef.current?.scrollTo({ top: 0 });
  }, [step?.id]);

  if (!step) return null;
  const stepProgress = progress?.steps[step.id];
  const shown =
    feedback[step.id] ??
    (stepProgress?.last ? { result: { ...stepProgress.last, stepId: step.id, durationMs: 0 } } : undefined);
  const isStored = !feedback[step.id] && Boolean(stepProgress?.last);
  const passedCount = steps.filter((s) => progress?.steps[s.id]?.status === 'passed').length;
  const next = steps[index + 1];
  const previous = steps[index - 1];

  const runCheck = async () => {
    setChecking(step.id);
    try {
      const result = await labApi.check(labId, step.id);
      setFeedback((all) => ({ ...all, [step.id]: { result } }));
      onChecked();
    } catch (error) {
      setFeedback((all) => ({
        ...all,
        [step.id]: {
          problem: error instanceof ApiError ? error.message : 'The check could not run; try again.',
        },
      }));
    } finally {
      setChecking(null);
    }
  };

  return (
    <div className={styles.steps}>
      <nav className={styles.stepNav} aria-label="Steps">
        <p className={styles.stepCount}>
          {passedCount} of {steps.length} steps done
        </p>
        {passedCount === steps.length && (
          <p className={styles.complete} data-testid="lab-complete">
            <span aria-hidden="true">★</span> Lab complete: every step passed. Well done!
          </p>
        )}
        <ol>
          {steps.map((s, i) => {
            const status = progress?.steps[s.id]?.status ?? 'not-started';
            return (
              <li key={s.id}>
                <button
                  type="button"
                  className={`${styles.stepLink} ${s.id === step.id ? styles.stepLinkCurrent : ''}`}
                  aria-current={s.id === step.id ? 'step' : undefined}
                  onClick={() => onSelectStep(s.id)}
                >
                  <StepStatusIcon status={status} />
                  <span>
                    {i + 1}. {s.title}
                  </span>
                  <span className="visually-hidden">{` (${statusLabel[status]})`}</span>
                </button>
              </li>
            );
          })}
        </ol>
      </nav>

      <article className={styles.stepBody} ref={bodyRef} aria-labelledby={`step-${step.id}-title`}>
        <p className="eyebrow">
          Step {index + 1} of {steps.length}
        </p>
        <h2 id={`step-${step.id}-title`} className={styles.stepTitle}>
          {step.title}
        </h2>
        <div className="prose">{step.body}</div>

        <Hints key={step.id} labId={labId} stepId={step.id} hints={step.hints} />

        <Solution
          key={step.id}
          labId={labId}
          stepId={step.id}
          revealed={Boolean(stepProgress?.revealed)}
          canApply={canCheck}
          onApplied={onSolutionApplied}
        />
      </article>

      <footer className={styles.checkBar}>
        <div aria-live="polite">
          {checking === step.id && (
            <p className={styles.checking} role="status">
              <span className={styles.spinner} aria-hidden="true" /> Checking your work in the sandbox…
            </p>
          )}
          {checking !== step.id && shown && (
            <>
              {isStored && <p className={styles.feedbackMeta}>Your last check of this step:</p>}
              <CheckFeedback feedback={shown} />
            </>
          )}
        </div>
        <div className={styles.checkActions}>
          <button
            type="button"
            className="button button--secondary"
            onClick={() => previous && onSelectStep(previous.id)}
            disabled={!previous}
          >
            ← Previous
          </button>
          <button
            type="button"
            className="button"
            onClick={() => void runCheck()}
            disabled={!canCheck || checking !== null}
            title={canCheck ? undefined : 'Start the lab first'}
          >
            {checking === step.id ? 'Checking…' : 'Check'}
          </button>
          <button
            type="button"
            className={`button ${stepProgress?.status === 'passed' ? '' : 'button--secondary'}`}
            onClick={() => next && onSelectStep(next.id)}
            disabled={!next}
          >
            Next step →
          </button>
        </div>
      </footer>
    </div>
  );
}
