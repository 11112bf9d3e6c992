'use client';

/**
 * What the lab page says once the learner's workshop has ended, in place of the editor and the
 * terminal: who ended it, that the files are kept, a download of them, and Resume only when the
 * workshop lets learners keep working (and its end has stopped the sandbox).
 */
import { useState } from 'react';
import { DownloadFilesButton } from '@/components/workshops/DownloadFilesButton';
import type { LearnerLabWorkshop } from '@/components/workshops/learner-workshop';
import styles from './WorkshopNotice.module.css';

type Props = { labId: string; workshop: LearnerLabWorkshop; onResume: () => void };

export function WorkshopEndedNotice({ labId, workshop, onResume }: Props) {
  const [isDownloading, setIsDownloading] = useState(false);
  const mayResume = !workshop.isLocked;
  return (
    <div className={styles.ended} role="status" data-testid="workshop-ended">
      <h2>
        {workshop.endedBy === 'instructor'
          ? `Your instructor ended the workshop “${workshop.title}”`
          : `The workshop “${workshop.title}” has ended`}
      </h2>
      {workshop.learnersMayContinue ? (
        <p>
          Your sandbox for this lab was stopped; your files and your completed steps are kept. You may keep
          working on your own:{' '}
          {mayResume
            ? 'resume the lab whenever you like.'
            : 'Resume is offered once your sandbox has stopped.'}
        </p>
      ) : (
        <p>
          Your sandbox for this lab is stopped and stays stopped: the workshop&rsquo;s work is over. Your
          files and your completed steps are kept, and you can take a copy of your files with you.
        </p>
      )}
      <div className={styles.actions}>
        <DownloadFilesButton labId={labId} onBusyChange={setIsDownloading} />
        {mayResume && (
          <button
            type="button"
            className="button button--secondary"
            disabled={isDownloading}
            onClick={onResume}
          >
            Resume lab
          </button>
        )}
      </div>
    </div>
  );
}
