/** What the API says about the signed-in user: never the password hash. Browser-safe types. */
import type { Role } from './roles';

export type PublicUser = { id: string; email: string; name: string; role: Role };

export function publicUser(user: { id: string; email: string; name: string; role: string }): PublicUser {
  return { id: user.id, email: user.email, name: user.name, role: user.role as Role };
}
