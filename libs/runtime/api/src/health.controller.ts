import { Controller, Get, HttpCode, Inject, ServiceUnavailableException } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { Redis } from 'ioredis';
import { DataSource } from 'typeorm';
import { REDIS } from '@quire/queue';

@Controller('health')
export class HealthController {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(REDIS) private readonly redis: Redis,
  ) {}

  /** The process is up. */
  @Get('live')
  @HttpCode(200)
  live(): { status: string } {
    return { status: 'ok' };
  }

  /** The process can serve: PostgreSQL and Redis answer. */
  @Get('ready')
  async ready(): Promise<{ status: string; postgres: string; redis: string }> {
    const [postgres, redis] = await Promise.all([
      withTimeout(this.dataSource.query('SELECT 1').then(() => 'ok')),
      withTimeout(this.redis.ping().then(() => 'ok')),
    ]);
    const body = { status: postgres === 'ok' && redis === 'ok' ? 'ok' : 'unavailable', postgres, redis };
    if (body.status !== 'ok') throw new ServiceUnavailableException(body);
    return body;
  }
}

function withTimeout(check: Promise<string>, ms = 2000): Promise<string> {
  return Promise.race([check, new Promise<string>((resolve) => setTimeout(() => resolve('timeout'), ms).unref())]).catch((e: unknown) => `error: ${e instanceof Error ? e.message : String(e)}`);
}
