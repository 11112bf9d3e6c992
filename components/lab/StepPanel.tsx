'use client';

/**
 * The instructions pane: the lab's steps with their status, the current step's text, its Check
 * button and feedback, hints one at a time (the one for what the last check found first), the
 * reference solution behind a confirmation (and copying it only after another, naming the files it
 * replaces and adds), starting the step from the reference state of the earlier ones, and
 * navigation between steps. Steps can be read ahead; each one is completed by its own check,
 * pressed or, for an `autoCheck` step, run in the background as the learner works.
 */
import { useEffect, useEffectEvent, useRef, useState, type ReactNode } from 'react';
import { timeAgo } from '@/components/ui/relative-time';
import { ApiError } from '@/lib/http/api-error';
import { createAutoCheckScheduler, type ActivitySignal } from './auto-check';
import { firstFailingDetail, nextHint, offeredHints, parseShownHints, type StepHint } from './hints';
import type { FileContent } from './files-client';
import { labApi, type LabProgressView, type StepCheckResult, type StepStatus } from './lab-api';
import styles from './LabWorkspace.module.css';
import { solutionChanges, type SolutionChanges } from './solution-changes';

export type StepView = {
  id: string;
  title: string;
  body: ReactNode;
  hints: StepHint[];
  /** Checked in the background after a save or a command (lab.yaml `autoCheck`). */
  autoCheck: boolean;
  /** The paths of the step's reference solution. */
  solutionPaths: string[];
};

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
  /**
   * Reads a file of the learner's workspace (null while the sandbox is not ready): copying a
   * solution first says which files it replaces and which it adds.
   */
  readWorkspaceFile: ((path: string) => Promise<Pick<FileContent, 'content'>>) | null;
  /** The learner started a step from the reference state: the editor and progress should refresh. */
  onJumped: (stepId: string) => void;
  /** Files saved and commands ended: when an `autoCheck` step checks itself. */
  activity: ActivitySignal;
};

/**
 * A check's result as the panel shows it: just made (`durationMs` is how long it took), or the
 * stored last one (`checkedAt`); `automatic` when it ran in the background.
 */
type Feedback = { result: StepCheckResult; checkedAt?: string; automatic?: boolean } | { problem: string };

const statusLabel: Record<StepStatus, string> = {
  passed: 'done',
  skipped: 'skipped',
  failed: 'not passed yet',
  'not-started': 'not checked yet',
};

const statusGlyph: Record<StepStatus, string> = {
  passed: '✓',
  skipped: '↷',
  failed: '✗',
  'not-started': '○',
};

/** How often "checked 5 min ago" is brought up to date. */
const clockTickMs = 30_000;

function hintKey(labId: string, stepId: string) {
  return `academy:hints:${labId}:${stepId}`;
}

/** Plain text where `backticks` mark code, as hints and check messages write it. */
export function TextWithCode({ text }: { text: string }) {
  const parts = text.split(/`([^`\n]+)`/);
  return <>{parts.map((part, i) => (i % 2 === 1 ? <code key={i}>{part}</code> : part))}</>;
}

function StepStatusIcon({ status }: { status: StepStatus }) {
  return (
    <span
      className={`${styles.stepIcon} ${styles[`stepIcon_${status.replace('-', '_')}`]}`}
      aria-hidden="true"
    >
      {statusGlyph[status]}
    </span>
  );
}

/** "Checked in 2.3 s" for a check just made; "Checked 5 min ago" for a stored one. */
function checkedWhen(feedback: Extract<Feedback, { result: unknown }>, now: number): string {
  const how = feedback.automatic ? 'Checked automatically' : 'Checked';
  if (feedback.checkedAt) return `${how} ${timeAgo(Date.parse(feedback.checkedAt), now)}`;
  return `${how} in ${(feedback.result.durationMs / 1000).toFixed(1)} s`;
}

function CheckFeedback({ feedback, now }: { feedback: Feedback; now: number }) {
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
      data-automatic={feedback.automatic ? 'true' : undefined}
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
      <p className={styles.feedbackMeta}>
        {feedback.checkedAt ? (
          <time dateTime={feedback.checkedAt} title={new Date(feedback.checkedAt).toLocaleString()}>
            {checkedWhen(feedback, now)}
          </time>
        ) : (
          checkedWhen(feedback, now)
        )}
      </p>
    </div>
  );
}

/**
 * A step's hints, revealed one at a time: after a failed check the one for its first failing
 * detail comes first, then the general ones. Which were shown is remembered in this browser.
 */
function Hints({
  labId,
  stepId,
  hints,
  failing,
}: {
  labId: string;
  stepId: string;
  hints: StepHint[];
  /** The first failing detail of the check shown, which a state hint may answer. */
  failing: string | null;
}) {
  // Rendered only in the browser (after the learner's progress loaded), so localStorage is there.
  const [shown, setShown] = useState<number[]>(() => {
    try {
      return parseShownHints(localStorage.getItem(hintKey(labId, stepId)), hints.length);
    } catch {
      return [];
    }
  });
  const next = nextHint(hints, shown, failing);
  if (shown.length === 0 && next === null) return null;
  const total = new Set([...shown, ...offeredHints(hints, failing)]).size;
  const showHint = () => {
    if (next === null) return;
    const updated = [...shown, next];
    setShown(updated);
    try {
      localStorage.setItem(hintKey(labId, stepId), JSON.stringify(updated));
    } catch {
      // Hints still show for this visit.
    }
  };
  return (
    <section className={styles.hints} aria-label="Hints">
      {shown.map((hintIndex, i) => (
        <p key={hintIndex} className={styles.hint}>
          <strong>Hint {i + 1}.</strong> <TextWithCode text={hints[hintIndex]?.text ?? ''} />
        </p>
      ))}
      {next !== null && (
        <button type="button" className={styles.linkButton} onClick={showHint}>
          {shown.length === 0 ? 'Show a hint' : 'Show another hint'} ({shown.length + 1} of {total})
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
  readWorkspaceFile,
}: {
  labId: string;
  stepId: string;
  revealed: boolean;
  canApply: boolean;
  onApplied: () => void;
  readWorkspaceFile: Props['readWorkspaceFile'];
}) {
  const dialogRef = useRef<HTMLDialogElement>(null);
  const copyDialogRef = useRef<HTMLDialogElement>(null);
  const [files, setFiles] = useState<{ path: string; content: string }[] | null>(null);
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState<string | null>(null);
  /** What copying would do, asked before copying; null changes: the workspace could not be read. */
  const [copyPlan, setCopyPlan] = useState<{ changes: SolutionChanges | null } | null>(null);

  // Asks first, naming the files the copy replaces and adds (compared with the workspace now).
  const askToCopy = async (solution: { path: string; content: string }[]) => {
    setBusy(true);
    setMessage(null);
    let changes: SolutionChanges | null = null;
    try {
      if (readWorkspaceFile) changes = await solutionChanges(solution, readWorkspaceFile);
    } catch {
      changes = null;
    } finally {
      setBusy(false);
    }
    setCopyPlan({ changes });
    const dialog = copyDialogRef.current;
    if (!dialog) return;
    dialog.returnValue = '';
    if (!dialog.open) dialog.showModal();
  };

  const reveal = async (apply: boolean) => {
    setBusy(true);
    // Copying waits while the sandbox is being checked (a step that checks itself may be).
    setMessage(apply ? 'Copying the solution into your workspace…' : null);
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
            onClick={() => void askToCopy(files)}
            title={canApply ? undefined : 'Start the lab to copy files into your workspace'}
          >
            Copy the solution into my workspace
          </button>
        </div>
      )}
      <dialog
        ref={copyDialogRef}
        className={styles.dialog}
        aria-labelledby={`copy-${stepId}-title`}
        onClose={() => {
          if (copyDialogRef.current?.returnValue === 'copy') void reveal(true);
        }}
      >
        <form method="dialog">
          <h2 id={`copy-${stepId}-title`}>Copy the solution into your workspace?</h2>
          {copyPlan && files && (
            <CopyPlan changes={copyPlan.changes} paths={files.map((file) => file.path)} />
          )}
          <div className={styles.dialogActions}>
            <button type="submit" value="cancel" className="button button--secondary">
              Cancel
            </button>
            <button type="submit" value="copy" className="button">
              Copy into my workspace
            </button>
          </div>
        </form>
      </dialog>
      {message && (
        <p className={styles.solutionNote} role="status">
          {message}
        </p>
      )}
    </section>
  );
}

/** What copying a solution does to the workspace's files, in words, for its confirmation. */
function CopyPlan({ changes, paths }: { changes: SolutionChanges | null; paths: string[] }) {
  const thatFile = (files: readonly string[]) => (files.length === 1 ? 'that file' : 'those files');
  if (!changes) {
    return (
      <p>
        This writes <strong>{listOfFiles(paths)}</strong> into your workspace: your own version of{' '}
        {thatFile(paths)}, if you have one, is overwritten.
      </p>
    );
  }
  const { replaces, adds, unchanged } = changes;
  return (
    <>
      {replaces.length > 0 && (
        <p>
          This replaces <strong>{listOfFiles(replaces)}</strong>: your own version of {thatFile(replaces)} is
          overwritten.
        </p>
      )}
      {adds.length > 0 && (
        <p>
          {replaces.length > 0 ? 'It also adds' : 'This adds'} <strong>{listOfFiles(adds)}</strong>, which
          your workspace does not have.
        </p>
      )}
      {unchanged.length > 0 && (
        <p>
          {listOfFiles(unchanged)} {unchanged.length === 1 ? 'is' : 'are'} already as in the solution
          {replaces.length + adds.length === 0 ? ': copying changes nothing.' : '.'}
        </p>
      )}
    </>
  );
}

/** "train.py and requirements.txt" */
function listOfFiles(paths: readonly string[]): string {
  if (paths.length <= 1) return paths.join('');
  return `${paths.slice(0, -1).join(', ')} and ${paths.at(-1)}`;
}

/**
 * Starting this step from the reference state of the earlier ones, after a confirmation that
 * names the files replaced and the steps that will count as skipped.
 */
function StartHere({
  labId,
  step,
  index,
  earlier,
  progress,
  canApply,
  onJumped,
}: {
  labId: string;
  step: StepView;
  index: number;
  earlier: StepView[];
  progress: LabProgressView | null;
  canApply: boolean;
  onJumped: (stepId: string) => void;
}) {
  const dialogRef = useRef<HTMLDialogElement>(null);
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState<string | null>(null);
  const files = [...new Set(earlier.flatMap((s) => s.solutionPaths))].sort();
  const toSkip = earlier.filter((s) => {
    const status = progress?.steps[s.id]?.status;
    return status !== 'passed' && status !== 'skipped';
  });
  const titleId = `start-${step.id}-title`;

  const start = async () => {
    setBusy(true);
    setMessage(null);
    try {
      const outcome = await labApi.jump(labId, step.id);
      const skipped = outcome.skipped.length
        ? ` ${outcome.skipped.length === 1 ? '1 earlier step is' : `${outcome.skipped.length} earlier steps are`} marked skipped.`
        : '';
      setMessage(`Your workspace now has the reference files of the earlier steps.${skipped}`);
      onJumped(step.id);
    } catch (error) {
      setMessage(error instanceof ApiError ? error.message : 'Could not start this step; try again.');
    } finally {
      setBusy(false);
    }
  };

  return (
    <section className={styles.solution} aria-label="Start from here">
      <button
        type="button"
        className={styles.linkButton}
        disabled={!canApply || busy}
        title={canApply ? undefined : 'Start the lab first'}
        onClick={() => {
          if (!dialogRef.current) return;
          dialogRef.current.returnValue = '';
          dialogRef.current.showModal();
        }}
      >
        Start this step with the earlier steps solved…
      </button>
      <dialog
        ref={dialogRef}
        className={styles.dialog}
        aria-labelledby={titleId}
        onClose={() => {
          if (dialogRef.current?.returnValue === 'start') void start();
        }}
      >
        <form method="dialog">
          <h2 id={titleId}>Start at step {index + 1} with the earlier steps solved?</h2>
          <p>
            The reference solutions of {index === 1 ? 'step 1' : `steps 1 to ${index}`} are copied into your
            workspace. This replaces <strong>{listOfFiles(files)}</strong>: your own version of{' '}
            {files.length === 1 ? 'that file' : 'those files'} is overwritten.
          </p>
          {toSkip.length > 0 && (
            <p>
              {toSkip.length === 1 ? 'This step is' : 'These steps are'} then marked <strong>skipped</strong>,
              which does not count as passed (instructors see it):{' '}
              {toSkip.map((s) => `${earlier.indexOf(s) + 1}. ${s.title}`).join('; ')}.
            </p>
          )}
          <div className={styles.dialogActions}>
            <button type="submit" value="cancel" className="button button--secondary">
              Cancel
            </button>
            <button type="submit" value="start" className="button">
              Replace the files and start here
            </button>
          </div>
        </form>
      </dialog>
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
  readWorkspaceFile,
  onJumped,
  activity,
}: Props) {
  const index = Math.max(
    0,
    steps.findIndex((s) => s.id === currentStep),
  );
  const step = steps[index] ?? steps[0];
  const [feedback, setFeedback] = useState<Record<string, Feedback>>({});
  const [checking, setChecking] = useState<string | null>(null);
  const [now, setNow] = useState(() => Date.now());
  const bodyRef = useRef<HTMLDivElement>(null);

  useEffect(() => {
    bodyRef.current?.scrollTo({ top: 0 });
  }, [step?.id]);

  useEffect(() => {
    const timer = window.setInterval(() => setNow(Date.now()), clockTickMs);
    return () => window.clearInterval(timer);
  }, []);
  // A newly loaded stored result is told relative to the time it arrived.
  useEffect(() => setNow(Date.now()), [progress]);

  // Background checks of an `autoCheck` step: after saves and finished commands, while the page is
  // visible, quietly (only a pass shows, politely).
  const shouldAutoCheck = useEffectEvent(() => {
    const status = step ? progress?.steps[step.id]?.status : undefined;
    return (
      document.visibilityState === 'visible' &&
      canCheck &&
      checking === null &&
      Boolean(step?.autoCheck) &&
      status !== 'passed' &&
      status !== 'skipped'
    );
  });
  const runAutoCheck = useEffectEvent(async () => {
    if (!step) return;
    const stepId = step.id;
    const answer = await labApi.autoCheck(labId, stepId);
    if (!answer.ran || answer.result.status !== 'pass') return;
    setFeedback((all) => ({ ...all, [stepId]: { result: answer.result, automatic: true } }));
    onChecked();
  });
  useEffect(() => {
    const scheduler = createAutoCheckScheduler({
      run: () => runAutoCheck(),
      shouldRun: () => shouldAutoCheck(),
    });
    const unsubscribe = activity.subscribe(() => scheduler.noteActivity());
    return () => {
      unsubscribe();
      scheduler.dispose();
    };
  }, [activity]);

  if (!step) return null;
  const stepProgress = progress?.steps[step.id];
  const stored: Feedback | undefined = stepProgress?.last
    ? {
        result: { ...stepProgress.last, stepId: step.id, durationMs: 0 },
        checkedAt: stepProgress.last.createdAt,
        automatic: stepProgress.last.automatic,
      }
    : undefined;
  const shown = feedback[step.id] ?? stored;
  const isStored = !feedback[step.id] && Boolean(stored);
  const failing = shown && 'result' in shown ? firstFailingDetail(shown.result) : null;
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
                  data-status={status}
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
        {stepProgress?.status === 'skipped' && (
          <p className={styles.skippedNote}>
            You skipped this step: its reference solution was copied into your workspace, so it counts as
            skipped, not passed.
          </p>
        )}
        <div className="prose">{step.body}</div>

        <Hints key={`hints-${step.id}`} labId={labId} stepId={step.id} hints={step.hints} failing={failing} />

        <Solution
          key={`solution-${step.id}`}
          labId={labId}
          stepId={step.id}
          revealed={Boolean(stepProgress?.revealed)}
          canApply={canCheck}
          onApplied={onSolutionApplied}
          readWorkspaceFile={readWorkspaceFile}
        />

        {index > 0 && (
          <StartHere
            key={`start-${step.id}`}
            labId={labId}
            step={step}
            index={index}
            earlier={steps.slice(0, index)}
            progress={progress}
            canApply={canCheck}
            onJumped={onJumped}
          />
        )}
      </article>

      <footer className={styles.checkBar}>
        {/* Focusable: a long result scrolls inside this box, and keyboard users must reach it. */}
        <div
          className={styles.checkFeedback}
          aria-live="polite"
          tabIndex={0}
          role="region"
          aria-label="Check result"
        >
          {checking === step.id && (
            <p className={styles.checking} role="status">
              <span className={styles.spinner} aria-hidden="true" /> Checking your work in the sandbox…
            </p>
          )}
          {checking !== step.id && shown && (
            <>
              {isStored && <p className={styles.feedbackMeta}>Your last check of this step:</p>}
              <CheckFeedback feedback={shown} now={now} />
            </>
          )}
          {checking !== step.id && !shown && step.autoCheck && canCheck && (
            <p className={styles.feedbackMeta}>This step checks itself as you save files and run commands.</p>
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
