import type { Request } from 'express';

/** A request that passed the bearer guard: it carries the label of its token. */
export interface AdminRequest extends Request {
  adminAuthor?: string;
}
