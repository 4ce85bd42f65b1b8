import type { Request } from 'express';
import type { AdminRole } from './admin-role';

/** A request that passed the bearer guard: it carries the label and role of its token. */
export interface AdminRequest extends Request {
  adminAuthor?: string;
  adminRole?: AdminRole;
}
