'use client';

import MiniSearch, { type SearchResult } from 'minisearch';
import { useRouter } from 'next/navigation';
import { useCallback, useEffect, useRef, useState } from 'react';
import { searchOptions, type SearchDocument } from '@/lib/content/search-options';

type Hit = SearchResult & Pick<SearchDocument, 'kind' | 'title' | 'context' | 'url' | 'excerpt'>;

const maxResults = 12;
let indexPromise: Promise<MiniSearch<SearchDocument>> | undefined;

/** The index is built at build time (/search-index.json) and fetched once, on first use. */
function loadIndex(): Promise<MiniSearch<SearchDocument>> {
  indexPromise ??= fetch('/search-index.json')
    .then((response) => {
      if (!response.ok) throw new Error(`search index: HTTP ${response.status}`);
      return response.text();
    })
    .then((json) => MiniSearch.loadJSON<SearchDocument>(json, searchOptions));
  indexPromise.catch(() => {
    indexPromise = undefined;
  });
  return indexPromise;
}

function isTypingTarget(target: EventTarget | null): boolean {
  const element = target as HTMLElement | null;
  return (
    !!element && (element.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(element.tagName))
  );
}

/** Search over chapters, labs and the glossary, from every page: the button, `/` or Ctrl/⌘+K. */
export function SearchDialog() {
  const router = useRouter();
  const dialogRef = useRef<HTMLDialogElement>(null);
  const inputRef = useRef<HTMLInputElement>(null);
  const [query, setQuery] = useState('');
  const [found, setFound] = useState<{ query: string; hits: Hit[] }>({ query: '', hits: [] });
  const hits = query.trim() && found.query === query.trim() ? found.hits : [];
  const [active, setActive] = useState(0);
  const [status, setStatus] = useState<'idle' | 'loading' | 'error'>('idle');

  const open = useCallback(() => {
    dialogRef.current?.showModal();
    inputRef.current?.select();
    setStatus((current) => (current === 'idle' ? 'loading' : current));
    loadIndex().then(
      () => setStatus('idle'),
      () => setStatus('error'),
    );
  }, []);

  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      const isShortcut =
        (event.key === 'k' && (event.metaKey || event.ctrlKey)) ||
        (event.key === '/' && !isTypingTarget(event.target));
      if (isShortcut) {
        event.preventDefault();
        open();
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [open]);

  useEffect(() => {
    let isCurrent = true;
    const text = query.trim();
    if (!text) return;
    loadIndex().then((index) => {
      if (!isCurrent) return;
      setFound({ query: text, hits: index.search(text).slice(0, maxResults) as Hit[] });
      setActive(0);
    });
    return () => {
      isCurrent = false;
    };
  }, [query]);

  const go = (hit: Hit | undefined) => {
    if (!hit) return;
    dialogRef.current?.close();
    router.push(hit.url);
  };

  return (
    <>
      <button type="button" className="search-button" onClick={open} aria-keyshortcuts="/ Control+K Meta+K">
        <span aria-hidden="true">⌕</span> Search <kbd aria-hidden="true">/</kbd>
      </button>
      <dialog
        ref={dialogRef}
        className="search-dialog"
        aria-label="Search the course"
        onClick={(event) => {
          if (event.target === dialogRef.current) dialogRef.current?.close();
        }}
      >
        <div className="search-dialog__box">
          <input
            ref={inputRef}
            type="search"
            className="search-dialog__input"
            placeholder="Search chapters, labs and glossary, e.g. canary"
            aria-label="Search"
            aria-controls="search-results"
            aria-activedescendant={hits[active] ? `search-hit-${active}` : undefined}
            value={query}
            onChange={(event) => setQuery(event.target.value)}
            onKeyDown={(event) => {
              if (event.key === 'ArrowDown') {
                event.preventDefault();
                setActive((i) => Math.min(i + 1, hits.length - 1));
              } else if (event.key === 'ArrowUp') {
                event.preventDefault();
                setActive((i) => Math.max(i - 1, 0));
              } else if (event.key === 'Enter') {
                event.preventDefault();
                go(hits[active]);
              }
            }}
          />
          <ul id="search-results" role="listbox" aria-label="Results" className="search-dialog__results">
            {hits.map((hit, index) => (
              <li
                key={hit.id}
                id={`search-hit-${index}`}
                role="option"
                aria-selected={index === active}
                className={index === active ? 'is-active' : undefined}
                onMouseEnter={() => setActive(index)}
              >
                <a
                  href={hit.url}
                  onClick={(event) => {
                    event.preventDefault();
                    go(hit);
                  }}
                >
                  <span className="search-hit__title">{hit.title}</span>
                  <span className="search-hit__context">{hit.context}</span>
                  <span className="search-hit__excerpt">{hit.excerpt}</span>
                </a>
              </li>
            ))}
          </ul>
          <p className="search-dialog__status" role="status">
            {status === 'error'
              ? 'The search index could not be loaded.'
              : status === 'loading'
                ? 'Loading the index…'
                : query.trim() && found.query === query.trim() && hits.length === 0
                  ? `Nothing found for “${query.trim()}”.`
                  : ''}
          </p>
        </div>
      </dialog>
    </>
  );
}
