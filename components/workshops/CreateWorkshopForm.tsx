'use client';

/**
 * The instructor's "New workshop" form: a title, the labs (a checklist from the catalog), the
 * start and end in the instructor's own time zone, and whether learners may keep working after the
 * end. Posts through apiFetch, then opens the new workshop's dashboard.
 */
import { useRouter } from 'next/navigation';
import { useId, useState, type FormEvent } from 'react';
import { apiErrorOf, apiFetch } from '@/lib/http/api-client';
import { titleMaxLength } from '@/lib/workshops/input';
import { fromDateTimeLocal, toDateTimeLocal } from './format';
import styles from './Workshops.module.css';

export type LabChoice = { id: string; title: string; minutes: number; steps: number };

const hourMs = 60 * 60 * 1000;

export function CreateWorkshopForm({ labs }: { labs: LabChoice[] }) {
  const router = useRouter();
  const ids = { title: useId(), starts: useId(), ends: useId(), keepWorking: useId(), error: useId() };
  const [defaults] = useState(() => {
    // Now (to the quarter hour before), for three hours: a class that starts as it is made.
    const start = new Date(Math.floor(Date.now() / (15 * 60_000)) * 15 * 60_000);
    return { start: toDateTimeLocal(start), end: toDateTimeLocal(new Date(start.getTime() + 3 * hourMs)) };
  });
  const [error, setError] = useState<string | null>(null);
  const [isBusy, setIsBusy] = useState(false);

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const startsAt = fromDateTimeLocal(String(form.get('startsAt') ?? ''));
    const endsAt = fromDateTimeLocal(String(form.get('endsAt') ?? ''));
    const chosen = form.getAll('labs').map(String);
    if (!startsAt || !endsAt) return setError('Give both the start and the end as a date and a time.');
    if (chosen.length === 0) return setError('Choose at least one lab.');
    setIsBusy(true);
    setError(null);
    try {
      const response = await apiFetch('/api/workshops', {
        method: 'POST',
        body: JSON.stringify({
          title: String(form.get('title') ?? ''),
          labs: chosen,
          startsAt,
          endsAt,
          learnersMayContinue: form.get('learnersMayContinue') === 'on',
        }),
      });
      if (!response.ok) return setError((await apiErrorOf(response)).message);
      const { workshop } = (await response.json()) as { workshop: { id: string } };
      router.push(`/instructor/workshops/${encodeURIComponent(workshop.id)}`);
    } catch {
      setError('The platform cannot be reached. Check your network connection and try again.');
    } finally {
      setIsBusy(false);
    }
  }

  return (
    <form
      className={styles.form}
      onSubmit={(event) => void submit(event)}
      aria-describedby={error ? ids.error : undefined}
    >
      <div className={styles.field}>
        <label htmlFor={ids.title}>Title</label>
        <input id={ids.title} name="title" type="text" required maxLength={titleMaxLength} />
      </div>
      <fieldset className={styles.fieldset}>
        <legend>Labs</legend>
        <ul className={styles.checkList}>
          {labs.map((lab) => (
            <li key={lab.id}>
              <label>
                <input type="checkbox" name="labs" value={lab.id} />
                <span>
                  {lab.title}{' '}
                  <span className={styles.muted}>
                    ({lab.steps} steps, {lab.minutes} min)
                  </span>
                </span>
              </label>
            </li>
          ))}
        </ul>
      </fieldset>
      <div className={styles.row}>
        <div className={styles.field}>
          <label htmlFor={ids.starts}>Starts</label>
          <input
            id={ids.starts}
            name="startsAt"
            type="datetime-local"
            required
            defaultValue={defaults.start}
          />
        </div>
        <div className={styles.field}>
          <label htmlFor={ids.ends}>Ends</label>
          <input id={ids.ends} name="endsAt" type="datetime-local" required defaultValue={defaults.end} />
        </div>
      </div>
      <div className={styles.checkField}>
        <label>
          <input type="checkbox" name="learnersMayContinue" aria-describedby={ids.keepWorking} />
          Learners may keep working after the end
        </label>
        <p id={ids.keepWorking} className={styles.muted}>
          Off: at the end their sandboxes stop and stay stopped; they can download a copy of their files. On:
          they may resume them and carry on by themselves.
        </p>
      </div>
      <p id={ids.error} role="alert" className={styles.error}>
        {error}
      </p>
      <div>
        <button type="submit" className="button" disabled={isBusy}>
          {isBusy ? 'Creating…' : 'Create workshop'}
        </button>
      </div>
    </form>
  );
}
