/** The editor's small line icons (16×16, drawn in the current text colour, hidden from assistive tech). */
import type { ReactNode } from 'react';

function Icon({ children }: { children: ReactNode }) {
  return (
    <svg
      width="16"
      height="16"
      viewBox="0 0 16 16"
      fill="none"
      stroke="currentColor"
      strokeWidth="1.3"
      strokeLinecap="round"
      strokeLinejoin="round"
      aria-hidden="true"
      focusable="false"
    >
      {children}
    </svg>
  );
}

export const FileIcon = () => (
  <Icon>
    <path d="M4 1.5h5l3.5 3.5v9.5h-8.5z" />
    <path d="M9 1.5V5h3.5" />
  </Icon>
);

export const FolderIcon = ({ isOpen = false }: { isOpen?: boolean }) => (
  <Icon>
    {isOpen ? (
      <path d="M1.5 13.5v-10h4.5l1.5 1.5h5v2M1.5 13.5l2-6h11l-2 6z" />
    ) : (
      <path d="M1.5 3.5h4.5l1.5 1.5h7v8.5h-13z" />
    )}
  </Icon>
);

export const LinkIcon = () => (
  <Icon>
    <path d="M6.5 9.5l3-3M7 4.5l1-1a2.5 2.5 0 013.5 3.5l-1 1M9 11.5l-1 1a2.5 2.5 0 01-3.5-3.5l1-1" />
  </Icon>
);

export const ChevronIcon = () => (
  <Icon>
    <path d="M6 4l4 4-4 4" />
  </Icon>
);

export const NewFileIcon = () => (
  <Icon>
    <path d="M8.5 14.5h-5v-13h5l3.5 3.5v3" />
    <path d="M8.5 1.5V5H12M12.5 10v5M10 12.5h5" />
  </Icon>
);

export const NewFolderIcon = () => (
  <Icon>
    <path d="M8.5 13.5h-7v-10h4.5L7.5 5h7v3.5" />
    <path d="M12.5 10v5M10 12.5h5" />
  </Icon>
);

export const RenameIcon = () => (
  <Icon>
    <path d="M10.5 2.5l3 3-8 8h-3v-3z" />
  </Icon>
);

export const DeleteIcon = () => (
  <Icon>
    <path d="M2.5 4h11M6 4V2.5h4V4M4 4l.7 9.5h6.6L12 4" />
  </Icon>
);

export const RefreshIcon = () => (
  <Icon>
    <path d="M13.5 8a5.5 5.5 0 11-1.6-3.9M13.5 2v3.5H10" />
  </Icon>
);
