import { Button, Heading } from '@rijkshuisstijl-community/components-react';
import type { ButtonProps } from '@rijkshuisstijl-community/components-react';
import { ReactNode, useEffect, useId, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ErrorMessages } from './feedback';
import { Form, SubmitButton, useFormAction } from './form';

interface ConfirmButtonProps {
  /** The button that opens the question. */
  label: ReactNode;
  appearance?: ButtonProps['appearance'];
  /** The question, as the dialog's heading. */
  title: string;
  /** What happens, and any fields the action needs (their values reach `onConfirm`). */
  children?: ReactNode;
  confirmLabel: string;
  onConfirm(data: FormData): Promise<unknown>;
  messages?: ErrorMessages;
}

type ConfirmFormProps = Pick<ConfirmButtonProps, 'children' | 'confirmLabel' | 'onConfirm' | 'messages'> & {
  /** Closes the dialog: after confirming, or to cancel. */
  onDone(): void;
};

function ConfirmForm({ children, confirmLabel, onConfirm, onDone, messages }: ConfirmFormProps) {
  const { t } = useTranslation();
  const action = useFormAction(async (data) => {
    await onConfirm(data);
    onDone();
    return true;
  });
  return (
    <Form action={action} messages={messages}>
      {children}
      <div className="quire-actions">
        <SubmitButton>{confirmLabel}</SubmitButton>
        <Button appearance="secondary-action-button" onClick={onDone}>
          {t('dialog.cancel')}
        </Button>
      </div>
    </Form>
  );
}

/**
 * A button for a step that is hard to take back: it asks first, in a modal dialog. The browser's
 * modal dialog keeps focus inside and closes on Escape; focus returns to the button afterwards.
 */
export function ConfirmButton({ label, appearance = 'secondary-action-button', title, children, confirmLabel, onConfirm, messages }: ConfirmButtonProps) {
  const dialog = useRef<HTMLDialogElement>(null);
  const opener = useRef<HTMLButtonElement>(null);
  const headingId = useId();
  // Each opening starts afresh: empty fields, no error from the last time.
  const [opened, setOpened] = useState(0);

  useEffect(() => {
    const element = dialog.current;
    const returnFocus = (): void => opener.current?.focus();
    element?.addEventListener('close', returnFocus);
    return () => element?.removeEventListener('close', returnFocus);
  }, []);

  function open(): void {
    setOpened((n) => n + 1);
    dialog.current?.showModal();
  }

  return (
    <>
      <Button ref={opener} appearance={appearance} onClick={open}>
        {label}
      </Button>
      <dialog ref={dialog} className="quire-dialog" aria-labelledby={headingId}>
        <Heading level={2} id={headingId}>
          {title}
        </Heading>
        <ConfirmForm key={opened} confirmLabel={confirmLabel} onConfirm={onConfirm} onDone={() => dialog.current?.close()} messages={messages}>
          {children}
        </ConfirmForm>
      </dialog>
    </>
  );
}

interface DisclosureProps {
  /** The button that shows (and hides) the content. */
  label: ReactNode;
  /** The content; `close` hides it again and returns focus to the button (after a form is sent). */
  children: (close: () => void) => ReactNode;
}

/** A button that shows a small form in place (reply, report, edit); focus moves into it. */
export function Disclosure({ label, children }: DisclosureProps) {
  const [open, setOpen] = useState(false);
  const panel = useRef<HTMLDivElement>(null);
  const toggle = useRef<HTMLButtonElement>(null);
  const panelId = useId();

  useEffect(() => {
    if (open) panel.current?.querySelector<HTMLElement>('input, textarea, select')?.focus();
  }, [open]);

  function close(): void {
    setOpen(false);
    toggle.current?.focus();
  }

  return (
    <div className="quire-disclosure">
      <Button ref={toggle} appearance="subtle-button" aria-expanded={open} aria-controls={panelId} onClick={() => setOpen(!open)}>
        {label}
      </Button>
      <div id={panelId} ref={panel} hidden={!open} className="quire-disclosure__panel">
        {open && children(close)}
      </div>
    </div>
  );
}
