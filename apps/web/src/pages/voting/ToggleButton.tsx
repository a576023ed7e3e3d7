import { Button } from '@rijkshuisstijl-community/components-react';
import { ReactNode, Ref } from 'react';

interface ToggleButtonProps {
  pressed: boolean;
  onClick(): void;
  busy?: boolean;
  ref?: Ref<HTMLButtonElement>;
  /** The button's name; it stays the same pressed or not, as a toggle's name should. */
  children: ReactNode;
}

/**
 * A button that is on or off (vote, pin, exclude). Screen readers hear "pressed"; the eye sees a
 * filled button with a check mark, so the state does not rest on colour alone.
 */
export function ToggleButton({ pressed, onClick, busy, ref, children }: ToggleButtonProps) {
  return (
    <Button ref={ref} appearance={pressed ? 'primary-action-button' : 'secondary-action-button'} pressed={pressed} busy={busy} onClick={onClick}>
      {pressed && <span aria-hidden="true">✓ </span>}
      {children}
    </Button>
  );
}
