export * from './portrait.entity';
export * from './portrait-creation';
export * from './portrait-workflow';
export * from './portraits.service';
export * from './portrait-authorizer';
export * from './collab-tickets.service';
export * from './manuscripts.model';
export * from './manuscripts.module';
