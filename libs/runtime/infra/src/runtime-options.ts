import { QuireConfig } from '@quire/config';

/** What a process needs to run: validated configuration and the resolved service addresses. */
export interface RuntimeOptions {
  config: QuireConfig;
  databaseUrl: string;
  redisUrl: string;
}
