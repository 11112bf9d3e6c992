'use client';

/**
 * The lab workspace: instructions on the left; the editor above the terminal on the right, in
 * resizable panes; the lab's controls on top. Until the sandbox is ready, the right side explains
 * what to do (start, resume, or what went wrong). A lab that lists labkit services gets tabs above
 * the terminal: the editor, then each service's pages (tracking: Experiments and Models).
 *
 * In a narrow window (a phone) the same panes show one at a time, chosen with tabs: Instructions,
 * Editor, the service pages, Terminal. It is one React tree either way, switched by the styles, so
 * crossing between the layouts keeps unsaved edits, the terminal's connection and the step's state.
 */
import dynamic from 'next/dynamic';
import Link from 'next/link';
import { useCallback, useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import { Group, Panel, Separator } from 'react-resizable-panels';
import { createActivitySignal } from './auto-check';
import type { CodeEditorHandle } from './editor/CodeEditor';
import { FilesClient } from './files-client';
import { labApi, type RunningLab } from './lab-api';
import { LabControls } from './LabControls';
import { useNarrowLayout } from './narrow-layout';
import { useRememberedSplit } from './pane-sizes';
import { ServicePage } from './services/ServicePage';
import {
  servicePagesFor,
  type ServiceLink,
  type ServicePageId,
  type ServicePageInfo,
} from './services/service-pages';
import type { SessionAccess } from './session-access';
import { StepPanel, type StepView } from './StepPanel';
import { TabList } from './TabList';
import { useLabSession, type LabSessionState } from './use-lab-session';
import { ViewerNotice } from './ViewerNotice';
import { WorkshopEndedNotice } from './WorkshopNotice';
import { WorkshopBanner } from '@/components/workshops/WorkshopBanner';
import styles from './LabWorkspace.module.css';

// Monaco and xterm.js need a browser: load them on the client only.
const CodeEditor = dynamic(() => import('./editor/CodeEditor').then((m) => m.CodeEditor), {
  ssr: false,
  loading: () => <div className={styles.paneLoading}>Loading the editor…</div>,
});
const LabTerminal = dynamic(() => import('./terminal/LabTerminal').then((m) => m.LabTerminal), {
  ssr: false,
  loading: () => <div className={styles.paneLoading}>Loading the terminal…</div>,
});

export type LabWorkspaceProps = {
  labId: string;
  title: string;
  chapter: { slug: string; title: string };
  minutes: number;
  steps: StepView[];
  openFiles: string[];
  /** The labkit services the lab lists (`lab.yaml`): each adds its pages as tabs. */
  services?: readonly string[];
};

function passedCount(state: LabSessionState, steps: StepView[]): number {
  return steps.filter((s) => state.progress?.steps[s.id]?.status === 'passed').length;
}

function jumpSeenKey(labId: string) {
  return `academy:jump-seen:${labId}`;
}

/**
 * Says that the learner's instructor started everyone at a step: which files it replaced and that
 * the steps they had not passed are skipped. Shown until dismissed (remembered in this browser).
 */
function InstructorJumpNotice({
  labId,
  steps,
  jump,
}: {
  labId: string;
  steps: StepView[];
  jump: { stepId: string; at: string };
}) {
  const [dismissedAt, setDismissedAt] = useState<string | null>(() => {
    try {
      return localStorage.getItem(jumpSeenKey(labId));
    } catch {
      return null;
    }
  });
  const index = steps.findIndex((s) => s.id === jump.stepId);
  if (dismissedAt === jump.at || index < 1) return null;
  const files = [...new Set(steps.slice(0, index).flatMap((s) => s.solutionPaths))].sort();
  const dismiss = () => {
    setDismissedAt(jump.at);
    try {
      localStorage.setItem(jumpSeenKey(labId), jump.at);
    } catch {
      // It shows again on the next visit.
    }
  };
  return (
    <div className={styles.jumpNotice} role="status" data-testid="instructor-jump-notice">
      <p>
        Your instructor started everyone at step {index + 1}, “{steps[index]?.title}”: the reference solutions
        of the steps before it replaced {files.join(', ')} in your workspace, and the steps you had not passed
        are marked skipped.
      </p>
      <button type="button" className="button button--secondary" onClick={dismiss}>
        OK
      </button>
    </div>
  );
}

/** For a visitor who is not logged in: labs need an account (the instructions stay readable). */
function SignInPrompt({ labId }: { labId: string }) {
  const next = encodeURIComponent(`/labs/${labId}`);
  return (
    <div className={styles.notice} data-testid="signin-prompt">
      <h2>Log in or sign up to start this lab</h2>
      <p>
        Each lab runs in a sandbox of your own and saves your progress, so it needs an account. You can read
        the steps on the left without one.
      </p>
      <div className={styles.dialogActions}>
        <Link href={`/login?next=${next}`} className="button">
          Log in
        </Link>
        <Link href={`/signup?next=${next}`} className="button button--secondary">
          Sign up
        </Link>
      </div>
    </div>
  );
}

/** What the right side shows while there is no ready sandbox. */
function SandboxNotice({
  labId,
  state,
  steps,
  onStart,
  onStartOver,
  onStopOtherAndStart,
}: {
  labId: string;
  state: LabSessionState;
  steps: StepView[];
  onStart: () => void;
  onStartOver: () => void;
  /** At the limit of running sandboxes: stop that lab's, then start this one. */
  onStopOtherAndStart: (otherLabId: string) => void;
}) {
  const done = passedCount(state, steps);
  const { phase, isReturning } = state;
  if (phase === 'loading') return <div className={styles.notice}>Loading your lab…</div>;
  if (phase === 'signed-out') return <SignInPrompt labId={labId} />;
  if (state.workshop?.status === 'ended' && (phase === 'ended' || phase === 'stopped')) {
    return <WorkshopEndedNotice labId={labId} workshop={state.workshop} onResume={onStart} />;
  }
  if (phase === 'starting' || phase === 'resetting' || phase === 'stopping') {
    return (
      <div className={styles.notice}>
        <span className={styles.spinnerLarge} aria-hidden="true" />
        <p>{phase === 'stopping' ? 'Stopping your sandbox…' : 'Getting your sandbox ready…'}</p>
      </div>
    );
  }
  if (phase === 'error' && state.runningLabs?.length) {
    return <AtSandboxLimit runningLabs={state.runningLabs} onStopAndStart={onStopOtherAndStart} />;
  }
  if (phase === 'error') {
    return (
      <div className={styles.notice} role="alert">
        <h2>The sandbox could not start</h2>
        <p>{state.error ?? 'Something went wrong.'}</p>
        <button type="button" className="button" onClick={onStart}>
          Try again
        </button>
      </div>
    );
  }
  if (phase === 'stopped') {
    return (
      <div className={styles.notice} data-testid="resume-prompt">
        <h2>{isReturning ? 'Welcome back' : 'Your sandbox is stopped'}</h2>
        <p>
          {isReturning ? `You have done ${done} of ${steps.length} steps. ` : ''}
          Your sandbox was stopped (after a while without activity, or by you). Your files are kept: resume to
          carry on where you left off.
        </p>
        <div className={styles.dialogActions}>
          <button type="button" className="button" onClick={onStart}>
            Resume lab
          </button>
          <button type="button" className="button button--secondary" onClick={onStartOver}>
            Start over with fresh files
          </button>
        </div>
      </div>
    );
  }
  return (
    <div className={styles.notice} data-testid="start-prompt">
      {isReturning ? (
        <>
          <h2>Welcome back</h2>
          <p>
            You have done {done} of {steps.length} steps. Your previous sandbox was removed after its time
            limit, so starting gives you fresh starter files; completed steps stay completed.
          </p>
        </>
      ) : (
        <>
          <h2>Your own sandbox</h2>
          <p>
            Starting the lab gives you a Linux machine of your own with the starter files, an editor and a
            terminal. Read ahead as much as you like: each step is checked when you press Check.
          </p>
        </>
      )}
      <button type="button" className="button" onClick={onStart}>
        Start lab
      </button>
    </div>
  );
}

/**
 * The learner has as many sandboxes running as they may: which labs hold them, each with a way to
 * stop it (its files are kept) and start this lab in its place.
 */
function AtSandboxLimit({
  runningLabs,
  onStopAndStart,
}: {
  runningLabs: readonly RunningLab[];
  onStopAndStart: (otherLabId: string) => void;
}) {
  const count = runningLabs.length;
  return (
    <div className={styles.notice} role="alert" data-testid="sandbox-limit">
      <h2>{count === 1 ? 'You have a sandbox running' : `You have ${count} sandboxes running`}</h2>
      <p>
        That is as many as you may have at once. Stop {count === 1 ? 'it' : 'one'} to start this lab: a
        stopped sandbox keeps its files, and you can resume it later.
      </p>
      <ul className={styles.runningLabs}>
        {runningLabs.map((lab) => (
          <li key={lab.id}>
            <Link href={`/labs/${encodeURIComponent(lab.id)}`}>{lab.title}</Link>
            <button type="button" className="button" onClick={() => onStopAndStart(lab.id)}>
              Stop {lab.title} and start this lab
            </button>
          </li>
        ))}
      </ul>
    </div>
  );
}

const editorTabId = 'editor';

const columnPanels = ['pane-instructions', 'pane-work'];
const rowPanels = ['pane-editor', 'pane-terminal'];

/** The narrow layout's panes: the instructions, the work area (editor or a service page), the terminal. */
type NarrowPane = 'instructions' | 'work' | 'terminal';

const workTabId = (id: string) => `work-tab-${id}`;
const workPanelId = (id: string) => `work-panel-${id}`;
const narrowTabId = (id: string) => `workspace-tab-${id}`;
const narrowPanelId = (id: string) =>
  id === 'instructions' || id === 'terminal' ? `workspace-panel-${id}` : workPanelId(id);

/**
 * The upper work pane: the editor, then the service pages, with tabs above them when the lab has
 * services (in the narrow layout the workspace's own tabs choose instead). Every panel stays
 * mounted once opened (the editor keeps unsaved edits, a page keeps its selection and scroll); a
 * hidden page stops refreshing.
 */
function WorkTabs({
  pages,
  editor,
  access,
  activeTab,
  onActivate,
  labelledBy,
}: {
  pages: readonly ServicePageInfo[];
  editor: ReactNode;
  access: SessionAccess | null;
  activeTab: string;
  onActivate: (id: string) => void;
  /** The id of the tab that names a panel, or null when no tab shows these panels. */
  labelledBy: ((id: string) => string) | null;
}) {
  const [opened, setOpened] = useState<ReadonlySet<string>>(() => new Set([editorTabId]));
  const [links, setLinks] = useState<Partial<Record<ServicePageId, ServiceLink>>>({});
  const tabs = useMemo(() => [{ id: editorTabId, title: 'Editor' }, ...pages], [pages]);
  if (!opened.has(activeTab)) setOpened(new Set(opened).add(activeTab));

  const navigate = useCallback(
    (pageId: ServicePageId, params: Record<string, string>) => {
      setLinks((previous) => ({ ...previous, [pageId]: { pageId, params, at: Date.now() } }));
      onActivate(pageId);
    },
    [onActivate],
  );

  const panelProps = (id: string) =>
    labelledBy
      ? { role: 'tabpanel', id: workPanelId(id), 'aria-labelledby': labelledBy(id) }
      : { id: workPanelId(id) };

  return (
    <div className={styles.workTabs} data-active-tab={activeTab}>
      {pages.length > 0 && (
        <TabList
          label="Work area"
          tabs={tabs}
          selected={activeTab}
          onSelect={onActivate}
          tabId={workTabId}
          panelId={workPanelId}
          className={styles.workTabList}
          tabClassName={styles.workTab}
          testId="work-tabs"
        />
      )}
      <div {...panelProps(editorTabId)} hidden={activeTab !== editorTabId} className={styles.workTabPanel}>
        {editor}
      </div>
      {pages.map((page) => (
        <div
          key={page.id}
          {...panelProps(page.id)}
          hidden={activeTab !== page.id}
          className={styles.workTabPanel}
        >
          {opened.has(page.id) && (
            <ServicePage
              pageId={page.id}
              access={access}
              isActive={activeTab === page.id}
              link={links[page.id] ?? null}
              onNavigate={navigate}
            />
          )}
        </div>
      ))}
    </div>
  );
}

export function LabWorkspace({
  labId,
  title,
  chapter,
  minutes,
  steps,
  openFiles,
  services = [],
}: LabWorkspaceProps) {
  const { state, access, start, stop, reset, stopOtherAndStart, reload } = useLabSession(labId);
  const editorRef = useRef<CodeEditorHandle | null>(null);
  const [chosenStep, setChosenStep] = useState<string | null>(null);
  // Files saved and commands ended, for the steps that check themselves.
  const [activity] = useState(createActivitySignal);
  // Read-only viewers (an instructor): the terminal hears of them at once, the session on load.
  const [terminalViewers, setTerminalViewers] = useState<number | null>(null);
  const isNarrow = useNarrowLayout();
  // Which pane the narrow layout shows, and which page the work area shows (either layout).
  const [narrowPane, setNarrowPane] = useState<NarrowPane>('instructions');
  const [workTab, setWorkTab] = useState<string>(editorTabId);
  // The split sizes the learner chose last time (restored once the page knows who they are).
  const columns = useRememberedSplit('columns', columnPanels);
  const rows = useRememberedSplit('rows', rowPanels);
  const activateWorkTab = useCallback((id: string) => {
    setWorkTab(id);
    setNarrowPane('work');
  }, []);

  // Until the learner picks one: the step they were on, else the first one not done yet (a
  // visitor who is not logged in reads from the first).
  const currentStep =
    chosenStep ?? state.openingStep ?? (state.phase === 'signed-out' ? (steps[0]?.id ?? null) : null);

  // "Start over" from a stopped sandbox: resume it, then restore the starter files.
  const startOver = useCallback(async () => {
    if (await start()) await reset();
  }, [start, reset]);

  const selectStep = useCallback(
    (stepId: string) => {
      setChosenStep(stepId);
      if (!['not-started', 'loading', 'signed-out'].includes(state.phase)) {
        void labApi.setCurrentStep(labId, stepId).catch(() => undefined);
      }
    },
    [labId, state.phase],
  );

  const refreshEditor = useCallback(() => {
    void editorRef.current?.refresh();
  }, []);

  // After a reset, the editor shows the starter files again.
  const previousPhase = useRef(state.phase);
  useEffect(() => {
    if (previousPhase.current === 'resetting' && state.phase === 'ready') refreshEditor();
    previousPhase.current = state.phase;
  }, [state.phase, refreshEditor]);

  // The instructor started everyone at a step while this page was open (or when the learner
  // started the lab): show that step and the files it wrote.
  const jump = state.progress?.jump ?? null;
  const seenJumpAt = useRef<string | null | undefined>(undefined);
  useEffect(() => {
    if (!state.progress) return;
    const isNew = seenJumpAt.current !== undefined && jump !== null && jump.at !== seenJumpAt.current;
    seenJumpAt.current = jump?.at ?? null;
    if (isNew && jump.byInstructor) {
      setChosenStep(jump.stepId);
      refreshEditor();
    }
  }, [state.progress, jump, refreshEditor]);

  const onJumped = useCallback(
    (stepId: string) => {
      setChosenStep(stepId);
      refreshEditor();
      void reload();
    },
    [refreshEditor, reload],
  );

  const servicesKey = services.join(',');
  const servicePages = useMemo(
    () => servicePagesFor(servicesKey ? servicesKey.split(',') : []),
    [servicesKey],
  );

  const done = passedCount(state, steps);
  const isReady = state.phase === 'ready' && access !== null;
  // The step panel compares a solution with the workspace before copying it.
  const readWorkspaceFile = useMemo(() => {
    if (!isReady || !access) return null;
    const files = new FilesClient(access);
    return (path: string) => files.read(path);
  }, [isReady, access]);
  const rightSide = useMemo(
    () =>
      isReady ? null : (
        <SandboxNotice
          labId={labId}
          state={state}
          steps={steps}
          onStart={() => void start()}
          onStartOver={() => void startOver()}
          onStopOtherAndStart={(otherLabId) => void stopOtherAndStart(otherLabId)}
        />
      ),
    [isReady, labId, state, steps, start, startOver, stopOtherAndStart],
  );

  const narrowTabs = useMemo(
    () => [
      { id: 'instructions', title: 'Instructions' },
      { id: editorTabId, title: 'Editor' },
      ...servicePages,
      { id: 'terminal', title: 'Terminal' },
    ],
    [servicePages],
  );
  const selectNarrowTab = useCallback(
    (id: string) => (id === 'instructions' || id === 'terminal' ? setNarrowPane(id) : activateWorkTab(id)),
    [activateWorkTab],
  );
  // In the narrow layout the instructions and the terminal are tab panels too.
  const narrowPanel = (id: 'instructions' | 'terminal') =>
    isNarrow
      ? { id: narrowPanelId(id), role: 'tabpanel', 'aria-labelledby': narrowTabId(id) }
      : { id: narrowPanelId(id) };

  return (
    <div className={styles.workspace} data-layout="full" data-pane={narrowPane}>
      <header className={styles.header}>
        <div className={styles.titleBlock}>
          <p className={styles.breadcrumb}>
            <Link href="/labs">Labs</Link> · <Link href={`/learn/${chapter.slug}`}>{chapter.title}</Link> ·{' '}
            {minutes} min
            {state.workshop && (
              <>
                {' · '}
                <WorkshopBanner workshop={state.workshop} />
              </>
            )}
          </p>
          <h1 className={styles.title}>{title}</h1>
        </div>
        <p className={styles.overall} aria-label={`${done} of ${steps.length} steps done`}>
          <span className={styles.overallBar}>
            <span style={{ width: `${(100 * done) / Math.max(1, steps.length)}%` }} />
          </span>
          {done}/{steps.length}
        </p>
        <LabControls
          state={state}
          onStart={() => void start()}
          onStop={() => void stop()}
          onReset={() => void reset()}
        />
      </header>
      {state.phase === 'ready' && <ViewerNotice viewers={terminalViewers ?? state.session?.viewers ?? 0} />}
      {jump?.byInstructor && state.phase !== 'signed-out' && (
        <InstructorJumpNotice key={jump.at} labId={labId} steps={steps} jump={jump} />
      )}
      {state.error && state.phase === 'ready' && (
        <p className={styles.actionError} role="alert">
          {state.error}
        </p>
      )}
      <TabList
        label="Workspace"
        tabs={narrowTabs}
        selected={narrowPane === 'work' ? workTab : narrowPane}
        onSelect={selectNarrowTab}
        tabId={narrowTabId}
        panelId={narrowPanelId}
        className={styles.narrowTabs}
        tabClassName={styles.workTab}
      />
      <Group
        orientation="horizontal"
        className={styles.panes}
        groupRef={columns.groupRef}
        onLayoutChanged={columns.onLayoutChanged}
      >
        <Panel
          id="pane-instructions"
          defaultSize="34%"
          minSize={isNarrow ? undefined : '18rem'}
          className={styles.pane}
        >
          <div className={styles.tabPanel} {...narrowPanel('instructions')}>
            {currentStep && (
              <StepPanel
                labId={labId}
                steps={steps}
                progress={state.progress}
                currentStep={currentStep}
                onSelectStep={selectStep}
                canCheck={isReady}
                onChecked={() => void reload()}
                onSolutionApplied={() => {
                  refreshEditor();
                  void reload();
                }}
                readWorkspaceFile={readWorkspaceFile}
                onJumped={onJumped}
                activity={activity}
              />
            )}
          </div>
        </Panel>
        <Separator className={styles.separator} aria-label="Resize the instructions" />
        <Panel id="pane-work" minSize={isNarrow ? undefined : '26rem'} className={styles.pane}>
          {/* The editor and the terminal mount at once (they wait for `access`), so their code and
              set-up are done before the sandbox is ready; until then a notice covers them. */}
          <div className={styles.workArea}>
            <Group
              orientation="vertical"
              className={styles.panes}
              groupRef={rows.groupRef}
              onLayoutChanged={rows.onLayoutChanged}
            >
              <Panel
                id="pane-editor"
                defaultSize="62%"
                minSize={isNarrow ? undefined : '10rem'}
                className={styles.pane}
              >
                <WorkTabs
                  pages={servicePages}
                  access={access}
                  activeTab={workTab}
                  onActivate={activateWorkTab}
                  labelledBy={isNarrow ? narrowTabId : servicePages.length > 0 ? workTabId : null}
                  editor={
                    <CodeEditor
                      ref={editorRef}
                      access={access}
                      labId={labId}
                      initialOpen={openFiles}
                      onSaved={activity.emit}
                    />
                  }
                />
              </Panel>
              <Separator
                className={`${styles.separator} ${styles.separatorHorizontal}`}
                aria-label="Resize the terminal"
              />
              <Panel
                id="pane-terminal"
                defaultSize="38%"
                minSize={isNarrow ? undefined : '7rem'}
                className={`${styles.pane} ${styles.terminalPane}`}
              >
                <div className={styles.tabPanel} {...narrowPanel('terminal')}>
                  <LabTerminal
                    access={access}
                    onCommand={refreshEditor}
                    onPromptReturn={activity.emit}
                    onViewersChange={setTerminalViewers}
                  />
                </div>
              </Panel>
            </Group>
            {rightSide && <div className={styles.workOverlay}>{rightSide}</div>}
          </div>
        </Panel>
      </Group>
    </div>
  );
}
