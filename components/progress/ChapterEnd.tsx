'use client';

/**
 * The end of a chapter. When a signed-in learner scrolls to it, the chapter is saved as read
 * (IntersectionObserver); "Mark as read" does the same by hand, and "Try again" after a failure.
 * Signed-out readers see nothing here.
 */
import Link from 'next/link';
import { useCallback, useEffect, useRef, useState } from 'react';
import { saveChapterRead } from './progress-api';
import { useChapterProgress, useProgress } from './ProgressProvider';
import styles from './progress.module.css';

type SaveState = { status: 'idle' | 'saving' | 'saved' } | { status: 'failed'; message: string };

export function ChapterEnd({ chapter }: { chapter: string }) {
  const progress = useProgress();
  const summary = useChapterProgress(chapter);
  const isSignedIn = progress?.state.status === 'signed-in';
  const [save, setSave] = useState<SaveState>({ status: 'idle' });
  const endRef = useRef<HTMLDivElement>(null);
  const refresh = progress?.refresh;

  const markRead = useCallback(() => {
    setSave({ status: 'saving' });
    saveChapterRead(chapter)
      .then(() => {
        setSave({ status: 'saved' });
        refresh?.();
      })
      .catch((error: Error) => setSave({ status: 'failed', message: error.message }));
  }, [chapter, refresh]);

  // Reaching the end once per visit is enough; a chapter read before is read again (lastReadAt).
  const shouldWatch = isSignedIn && save.status === 'idle';
  useEffect(() => {
    const end = endRef.current;
    if (!shouldWatch || !end || typeof IntersectionObserver === 'undefined') return;
    const observer = new IntersectionObserver((entries) => {
      if (!entries.some((entry) => entry.isIntersecting)) return;
      observer.disconnect();
      markRead();
    });
    observer.observe(end);
    return () => observer.disconnect();
  }, [shouldWatch, markRead]);

  if (!isSignedIn) return null;
  const isRead = save.status === 'saved' || (save.status !== 'failed' && summary?.readAt != null);
  return (
    <div
      ref={endRef}
      className={`${styles.chapterEnd} ${isRead ? styles.chapterEndDone : ''}`}
      data-testid="chapter-end"
    >
      <p role="status">
        {save.status === 'failed'
          ? `This chapter could not be saved as read: ${save.message}`
          : save.status === 'saving'
            ? 'Saving…'
            : isRead
              ? '✓ You have read this chapter.'
              : 'Reached the end? This chapter is saved as read when you get here.'}
      </p>
      {save.status === 'failed' || (!isRead && save.status === 'idle') ? (
        <button type="button" className="button button--secondary" onClick={markRead}>
          {save.status === 'failed' ? 'Try again' : 'Mark as read'}
        </button>
      ) : null}
      {isRead ? <Link href="/me">See your progress</Link> : null}
    </div>
  );
}
