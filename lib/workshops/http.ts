/** Turns a WorkshopError thrown by a route's work into its JSON answer; anything else is rethrown. */
import 'server-only';
import { jsonError } from '@/lib/http/responses';
import { WorkshopError } from './workshops';

export async function answerWorkshopErrors(work: () => Promise<Response>): Promise<Response> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof WorkshopError) return jsonError(error.status, error.code, error.message);
    throw error;
  }
}
