import { ChildProcess, spawn } from 'node:child_process';
import { redisAnswers } from '@quire/runtime/infra';
import { stopChildProcess } from './child-process';
import { freePort } from './test-app';
import { waitFor } from './wait';

export interface PrivateRedis {
  url: string;
  port: number;
  /** SIGKILL, as a crash: without persistence everything it held is gone. */
  kill(): Promise<void>;
  /** Starts it again on the same port, empty. */
  restart(): Promise<void>;
  stop(): Promise<void>;
}

/**
 * A redis-server of a fault test's own, from the installed binary on a free port and without
 * persistence, so the test may kill and restart it. Never the shared Redis other tests use.
 */
export async function startPrivateRedis(): Promise<PrivateRedis> {
  const port = await freePort();
  const url = `redis://127.0.0.1:${port}`;
  let child: ChildProcess | undefined;

  const start = async (): Promise<void> => {
    const started = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: 'ignore' });
    child = started;
    let failure: Error | undefined;
    started.once('error', (error) => (failure = error));
    started.once('exit', (code) => (failure ??= new Error(`redis-server on port ${port} exited with code ${code}`)));
    await waitFor(async () => {
      if (failure) throw failure;
      return redisAnswers(url);
    }, `redis-server on port ${port}`);
  };

  const end = async (signal: NodeJS.Signals): Promise<void> => {
    const running = child;
    child = undefined;
    if (running) await stopChildProcess(running, signal);
  };

  await start();
  return {
    url,
    port,
    kill: () => end('SIGKILL'),
    restart: async () => {
      await end('SIGKILL');
      await start();
    },
    stop: () => end('SIGTERM'),
  };
}
