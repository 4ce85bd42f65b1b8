import type { AdminRequest } from '../auth/admin-request';
import type { AuditEntry } from './audit-entry';

/** Who asked what, from a request: the fields of an entry that every action shares. */
export function requestFields(
  request: AdminRequest,
  status: number,
): Pick<AuditEntry, 'actor' | 'role' | 'address' | 'method' | 'path' | 'status'> {
  return {
    actor: request.adminAuthor ?? null,
    role: request.adminRole ?? null,
    address: request.ip ?? null,
    method: request.method,
    // The path without its query string: a query may hold a search term, never needed here.
    path: (request.originalUrl ?? request.url).split('?')[0],
    status,
  };
}
