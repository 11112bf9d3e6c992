'use client';

import { useEffect, useRef, type KeyboardEvent } from 'react';
import type { Tab } from './open-files';
import { tabLabels } from './paths';
import styles from './EditorTabs.module.css';

type EditorTabsProps = {
  tabs: readonly Tab[];
  activePath: string | null;
  /** The id of the panel the tabs control (the editor area). */
  panelId: string;
  onActivate(path: string): void;
  /** Closing a tab with unsaved changes is confirmed by the caller. */
  onClose(path: string): void;
};

/** The accessible name of a tab: its path, then what is special about it. */
export function tabAccessibleName(tab: Tab): string {
  const notes = [tab.isDirty && 'unsaved', tab.isDeleted && 'deleted', tab.hasConflict && 'changed on disk'];
  return [tab.path, ...notes.filter(Boolean)].join(', ');
}

/**
 * The open files, as tabs: click or arrow keys to switch, the × (or middle click, or Delete) to
 * close. A dot marks unsaved changes.
 */
export function EditorTabs({ tabs, activePath, panelId, onActivate, onClose }: EditorTabsProps) {
  const listRef = useRef<HTMLDivElement>(null);
  const labels = tabLabels(tabs.map((tab) => tab.path));
  const activeIndex = tabs.findIndex((tab) => tab.path === activePath);

  useEffect(() => {
    const active = listRef.current?.querySelector<HTMLElement>('[aria-selected="true"]');
    active?.scrollIntoView({ block: 'nearest', inline: 'nearest' });
  }, [activePath]);

  const focusTab = (index: number) => {
    const tab = tabs[index];
    if (!tab) return;
    onActivate(tab.path);
    requestAnimationFrame(() =>
      listRef.current?.querySelectorAll<HTMLElement>('[role="tab"]')[index]?.focus(),
    );
  };

  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>) => {
    const index = tabs.findIndex((tab) => tab.path === (event.target as HTMLElement).dataset.path);
    if (index === -1) return;
    const moves: Record<string, number> = {
      ArrowRight: (index + 1) % tabs.length,
      ArrowLeft: (index - 1 + tabs.length) % tabs.length,
      Home: 0,
      End: tabs.length - 1,
    };
    const target = moves[event.key];
    if (target !== undefined) {
      event.preventDefault();
      focusTab(target);
    } else if (event.key === 'Delete') {
      event.preventDefault();
      const path = tabs[index]?.path;
      if (path) onClose(path);
      requestAnimationFrame(() =>
        listRef.current?.querySelector<HTMLElement>('[aria-selected="true"]')?.focus(),
      );
    }
  };

  return (
    <div ref={listRef} role="tablist" aria-label="Open files" className={styles.tabs} onKeyDown={onKeyDown}>
      {tabs.map((tab, index) => {
        const label = labels.get(tab.path);
        const isActive = tab.path === activePath;
        const isFocusable = isActive || (activeIndex === -1 && index === 0);
        const classNames = [styles.tab, tab.isDirty && styles.isDirty, tab.isDeleted && styles.isDeleted];
        return (
          <div
            key={tab.path}
            role="tab"
            data-path={tab.path}
            aria-selected={isActive}
            aria-controls={isActive ? panelId : undefined}
            aria-label={tabAccessibleName(tab)}
            aria-keyshortcuts="Delete"
            tabIndex={isFocusable ? 0 : -1}
            title={tab.path}
            className={classNames.filter(Boolean).join(' ')}
            onClick={() => onActivate(tab.path)}
            onMouseDown={(event) => {
              if (event.button === 1) event.preventDefault(); // no autoscroll on middle click
            }}
            onAuxClick={(event) => {
              if (event.button !== 1) return;
              event.preventDefault();
              onClose(tab.path);
            }}
          >
            <span className={styles.name}>{label?.name ?? tab.path}</span>
            {label?.folder && <span className={styles.folder}>{label.folder}</span>}
            {/* Mouse-only: keyboard users press Delete on the tab (a button inside a tab is not allowed). */}
            <span
              className={styles.close}
              aria-hidden="true"
              title={`Close ${label?.name ?? tab.path}`}
              onClick={(event) => {
                event.stopPropagation();
                onClose(tab.path);
              }}
            >
              {tab.isDirty && <span className={styles.dirtyDot}>●</span>}
              <span className={styles.cross}>×</span>
            </span>
          </div>
        );
      })}
    </div>
  );
}
