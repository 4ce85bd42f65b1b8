import type { AdminRole } from '../../apps/admin/src/auth/admin-role';
import type { AdminToken } from '../../apps/admin/src/settings/admin-settings';

/** One token per role, labelled `<prefix>-<role>`: the admin settings and the tokens to send. */
export function roleTokens(prefix: string): {
  tokens: Record<AdminRole, string>;
  settings: AdminToken[];
} {
  const roles: AdminRole[] = ['reader', 'writer', 'admin'];
  const tokens = Object.fromEntries(
    roles.map((role) => [role, `${prefix}-${role}-token-0123456789`]),
  ) as Record<AdminRole, string>;
  return {
    tokens,
    settings: roles.map((role) => ({ label: `${prefix}-${role}`, token: tokens[role], role })),
  };
}
