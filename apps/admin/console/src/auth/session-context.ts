import { createContext } from 'preact';
import { useContext } from 'preact/hooks';
import type { AdminRole, Session } from '../api/api-types';

const RANK: Record<AdminRole, number> = { reader: 0, writer: 1, admin: 2 };

/** True when `role` may do what `needed` may (the server's rule, DESIGN §14). */
export function roleAllows(role: AdminRole, needed: AdminRole): boolean {
  return RANK[role] >= RANK[needed];
}

/**
 * Who the console's token is (`GET /api/session`). The console hides what the role cannot do;
 * that is a convenience only: the server checks the role on every call.
 */
export const SessionContext = createContext<Session>({ label: '', role: 'reader' });

export function useSession(): Session {
  return useContext(SessionContext);
}

/** Whether the signed-in token has at least `needed`. */
export function useCan(needed: AdminRole): boolean {
  return roleAllows(useSession().role, needed);
}
