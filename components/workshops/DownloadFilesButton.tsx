'use client';

/**
 * "Download a copy of your files": the learner's workspace of a lab as a zip. Making it can take
 * a few seconds (a stopped sandbox is started for it and stopped again), so the button says so.
 */
import { useState } from 'react';
import { ApiError } from '@/lib/http/api-error';
import { fetchWorkspaceZip } from './learner-workshop';
import styles from './Workshops.module.css';

type Props = { labId: string; onBusyChange?: (isBusy: boolean) => void };

export function DownloadFilesButton({ labId, onBusyChange }: Props) {
  const [isBusy, setIsBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  async function download() {
    setIsBusy(true);
    onBusyChange?.(true);
    setError(null);
    try {
      const { zip, fileName } = await fetchWorkspaceZip(labId);
      const url = URL.createObjectURL(zip);
      const link = document.createElement('a');
      link.href = url;
      link.download = fileName;
      document.body.append(link);
      link.click();
      link.remove();
      // The browser has taken the file by the time the click's task ends.
      setTimeout(() => URL.revokeObjectURL(url), 60_000);
    } catch (problem) {
      setError(
        problem instanceof ApiError ? problem.message : 'Your files could not be downloaded. Try again.',
      );
    } finally {
      setIsBusy(false);
      onBusyChange?.(false);
    }
  }

  return (
    <>
      <button type="button" className="button" disabled={isBusy} onClick={() => void download()}>
        {isBusy ? 'Packing your files…' : 'Download a copy of your files'}
      </button>
      {error && (
        <p role="alert" className={styles.error}>
          {error}
        </p>
      )}
    </>
  );
}
