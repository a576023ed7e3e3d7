import { ChildProcess } from 'node:child_process';
import { once } from 'node:events';

/**
 * Sends a child process `signal` and waits until it has exited, killing it outright if it is
 * still there after `killAfterMs`; one that has exited already is left alone.
 */
export async function stopChildProcess(child: ChildProcess, signal: NodeJS.Signals = 'SIGTERM', killAfterMs = 10_000): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = once(child, 'exit');
  child.kill(signal);
  const timer = setTimeout(() => child.kill('SIGKILL'), killAfterMs);
  await exited;
  clearTimeout(timer);
}
