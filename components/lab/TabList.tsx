'use client';

/**
 * A row of WAI-ARIA tabs with automatic activation: arrows, Home and End move between them and
 * select the one reached; only the selected tab is in the Tab order. The panels are the caller's.
 */
import type { KeyboardEvent } from 'react';

export type TabItem = { id: string; title: string };

type Props = {
  label: string;
  tabs: readonly TabItem[];
  selected: string;
  onSelect: (id: string) => void;
  /** The element ids of a tab and of the panel it shows. */
  tabId: (id: string) => string;
  panelId: (id: string) => string;
  className?: string;
  tabClassName?: string;
  testId?: string;
};

export function TabList({
  label,
  tabs,
  selected,
  onSelect,
  tabId,
  panelId,
  className,
  tabClassName,
  testId,
}: Props) {
  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>) => {
    const index = tabs.findIndex((tab) => tab.id === selected);
    const moves: Record<string, number> = {
      ArrowRight: (index + 1) % tabs.length,
      ArrowLeft: (index - 1 + tabs.length) % tabs.length,
      Home: 0,
      End: tabs.length - 1,
    };
    const target = tabs[moves[event.key] ?? -1];
    if (!target) return;
    event.preventDefault();
    onSelect(target.id);
    requestAnimationFrame(() => document.getElementById(tabId(target.id))?.focus());
  };

  return (
    <div role="tablist" aria-label={label} className={className} onKeyDown={onKeyDown} data-testid={testId}>
      {tabs.map((tab) => (
        <button
          key={tab.id}
          type="button"
          role="tab"
          id={tabId(tab.id)}
          aria-selected={tab.id === selected}
          aria-controls={panelId(tab.id)}
          tabIndex={tab.id === selected ? 0 : -1}
          className={tabClassName}
          onClick={() => onSelect(tab.id)}
        >
          {tab.title}
        </button>
      ))}
    </div>
  );
}
