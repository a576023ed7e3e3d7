import { Redis } from 'ioredis';
import { REDIS } from '@quire/queue';
import { startTestApp, TestApp } from '@quire/testing';
import { OPS } from './helpers';

describe('health and metrics', () => {
  let t: TestApp;
  beforeAll(async () => { t = await startTestApp({ label: 'health' }); });
  afterAll(async () => { await t?.close(); });

  it('answers /health/live while the process runs', async () => {
    const res = await fetch(`${t.url}/health/live`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: 'ok' });
  });

  it('answers /health/ready with 200 when PostgreSQL and Redis answer', async () => {
    const res = await fetch(`${t.url}/health/ready`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: 'ok', postgres: 'ok', redis: 'ok' });
  });

  it('serves Prometheus text on /metrics, with request durations by route and the process metrics', async () => {
    await t.client.request(OPS.me);
    const res = await fetch(`${t.url}/metrics`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/plain;.* version=0\.0\.4/);
    const text = await res.text();
    expect(text).toContain('# TYPE quire_http_request_duration_seconds histogram');
    expect(text).toMatch(/^quire_http_request_duration_seconds_count\{method="POST",route="\/graphql",status="200"\} [1-9]\d*$/m);
    expect(text).toMatch(/^quire_process_cpu_user_seconds_total \d/m);
    // Every line is a comment or a sample: name, optional labels, a number.
    for (const line of text.split('\n').filter(Boolean)) expect(line).toMatch(/^(# (HELP|TYPE) \w+ .+|\w+(\{.*\})? -?[\d.e+-]+|\w+(\{.*\})? (NaN|[+-]Inf))$/);
  });

  it('answers /health/ready with 503, naming what is down, when Redis does not answer', async () => {
    const redis = t.app.get<Redis>(REDIS);
    redis.disconnect();
    try {
      const res = await fetch(`${t.url}/health/ready`);
      expect(res.status).toBe(503);
      expect(await res.json()).toEqual({ status: 'unavailable', postgres: 'ok', redis: expect.stringMatching(/^(error|timeout)/) });
    } finally {
      await redis.connect();
    }
    expect((await fetch(`${t.url}/health/ready`)).status).toBe(200);
  });
});
