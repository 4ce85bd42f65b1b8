import { SetMetadata } from '@nestjs/common';
import type { AuditAction } from './audit-entry';

export const AUDITED = 'rcc:admin:audited';

/** A write route: each success is recorded in the audit log as `action`. */
export const Audited = (action: AuditAction): MethodDecorator => SetMetadata(AUDITED, action);
