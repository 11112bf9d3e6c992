/**
 * The browser's side of app/api/workshops/lab/: the learner's workshop for a lab, and a copy of
 * their workspace. Failures throw the server's ApiError; status 0 when the platform is unreachable.
 */
import { apiErrorOf, apiFetch } from '@/lib/http/api-client';
import { ApiError } from '@/lib/http/api-error';
import type { LearnerLabWorkshop } from '@/lib/workshops/learner-lab';

export type { LearnerLabWorkshop };

const offline = () =>
  new ApiError(0, 'OFFLINE', 'The platform cannot be reached. Check your network connection and try again.');

const base = (labId: string) => `/api/workshops/lab/${encodeURIComponent(labId)}`;

/** The learner's workshop that has this lab, or null when none of theirs has it. */
export async function fetchLearnerWorkshop(labId: string): Promise<LearnerLabWorkshop | null> {
  const response = await apiFetch(base(labId)).catch(() => {
    throw offline();
  });
  if (!response.ok) throw await apiErrorOf(response);
  return ((await response.json()) as { workshop: LearnerLabWorkshop | null }).workshop;
}

/** The learner's workspace of the lab as a zip, and the name to save it under. */
export async function fetchWorkspaceZip(labId: string): Promise<{ zip: Blob; fileName: string }> {
  const response = await apiFetch(`${base(labId)}/files`, { method: 'POST' }).catch(() => {
    throw offline();
  });
  if (!response.ok) throw await apiErrorOf(response);
  const named = /filename="([^"]+)"/.exec(response.headers.get('content-disposition') ?? '');
  return { zip: await response.blob(), fileName: named?.[1] ?? `${labId}-workspace.zip` };
}
