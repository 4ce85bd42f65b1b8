/**
 * What a token may do (DESIGN §14): `reader` the GET routes; `writer` also every write, import
 * and rollout; `admin` also revealing secrets and the audit log. Each role includes the ones
 * before it.
 */
export const ADMIN_ROLES = ['reader', 'writer', 'admin'] as const;

export type AdminRole = (typeof ADMIN_ROLES)[number];

/** A token configured without a role is an `admin`, as every token was before roles existed. */
export const DEFAULT_ADMIN_ROLE: AdminRole = 'admin';

export function isAdminRole(value: string): value is AdminRole {
  return (ADMIN_ROLES as readonly string[]).includes(value);
}

/** True when a token holding `held` may use a route that needs `needed`. */
export function roleAllows(held: AdminRole, needed: AdminRole): boolean {
  return ADMIN_ROLES.indexOf(held) >= ADMIN_ROLES.indexOf(needed);
}
