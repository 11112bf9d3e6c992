/**
 * Roles, from least to most: an admin can do what an instructor can, an instructor what a learner
 * can. Safe in the browser (no server imports), so menus can ask the same question as the server.
 */
export const roles = ['learner', 'instructor', 'admin'] as const;

export type Role = (typeof roles)[number];

export function isRole(value: unknown): value is Role {
  return typeof value === 'string' && (roles as readonly string[]).includes(value);
}

/** Whether the user has `role` or a higher one. An unknown stored role counts as none. */
export function hasRole(user: { role: string }, role: Role): boolean {
  if (!isRole(user.role)) return false;
  return roles.indexOf(user.role) >= roles.indexOf(role);
}
