import { Button } from '@rijkshuisstijl-community/components-react';
import type { ButtonProps } from '@rijkshuisstijl-community/components-react';
import { ReactNode, useRef, useState } from 'react';
import { ErrorMessages, QueryProblem } from './feedback';

export interface Action {
  /** Runs `action` unless one is running; answers whether it succeeded. */
  run(action: () => Promise<unknown>): Promise<boolean>;
  busy: boolean;
  error: unknown;
}

/** One button's work (endorse, hide, undo): once at a time, and what went wrong if it failed. */
export function useAction(): Action {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const running = useRef(false);

  async function run(action: () => Promise<unknown>): Promise<boolean> {
    if (running.current) return false;
    running.current = true;
    setBusy(true);
    setError(null);
    try {
      await action();
      return true;
    } catch (e) {
      setError(e);
      return false;
    } finally {
      running.current = false;
      setBusy(false);
    }
  }

  return { run, busy, error };
}

interface ActionButtonProps {
  onAction(): Promise<unknown>;
  children: ReactNode;
  appearance?: ButtonProps['appearance'];
  /** Words for error codes that mean something particular for this action. */
  messages?: ErrorMessages;
}

/** A button that does one thing on the server, says it is busy, and shows why it failed. */
export function ActionButton({ onAction, children, appearance = 'secondary-action-button', messages }: ActionButtonProps) {
  const action = useAction();
  return (
    <>
      <Button appearance={appearance} busy={action.busy} onClick={() => void action.run(onAction)}>
        {children}
      </Button>
      {action.error !== null && <QueryProblem error={action.error} messages={messages} />}
    </>
  );
}
