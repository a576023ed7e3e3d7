export * from './audit-event.entity';
export * from './audit.service';
export * from './audit.module';

import { AuditEvent } from './audit-event.entity';
export const AUDIT_ENTITIES = [AuditEvent];
