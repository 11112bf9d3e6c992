import type { ReactNode } from 'react';

const calloutLabels = { note: 'Note', tip: 'Tip', warning: 'Warning' } as const;
export type CalloutType = keyof typeof calloutLabels;

/** A highlighted aside: `<Callout type="tip" title="…">markdown</Callout>`. */
export function Callout({
  type = 'note',
  title,
  children,
}: {
  type?: CalloutType;
  title?: string;
  children: ReactNode;
}) {
  const kind: CalloutType = type in calloutLabels ? type : 'note';
  return (
    <aside className={`callout callout--${kind}`} aria-label={title ?? calloutLabels[kind]}>
      <p className="callout__title">{title ?? calloutLabels[kind]}</p>
      <div className="callout__body">{children}</div>
    </aside>
  );
}
