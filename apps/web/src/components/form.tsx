import { Alert, Button, Paragraph, UnorderedList, UnorderedListItem } from '@rijkshuisstijl-community/components-react';
import { createContext, FormEvent, FormHTMLAttributes, ReactNode, useContext, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { FieldProblem, Problem, problemOf } from '../graphql/errors';
import { currentLocale, isLocale, Locale, serverMessage } from '../i18n';
import { ErrorMessages, problemMessage } from './feedback';

/** A failed submission: the problem, and the field problems no field of the form shows. */
interface FormFailure extends Problem {
  unplaced: FieldProblem[];
}

export interface FormAction<T> {
  onSubmit(event: FormEvent<HTMLFormElement>): Promise<void>;
  busy: boolean;
  failure: FormFailure | null;
  /** What the last successful submission returned. */
  result: T | undefined;
}

/**
 * Runs `action` with the form's data on submit, once at a time, and keeps what went wrong in
 * the terms of the api's typed errors. `resetOnSuccess` empties the form for the next entry.
 */
export function useFormAction<T>(action: (data: FormData) => Promise<T>, options: { resetOnSuccess?: boolean } = {}): FormAction<T> {
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<FormFailure | null>(null);
  const [result, setResult] = useState<T>();
  const running = useRef(false);

  async function onSubmit(event: FormEvent<HTMLFormElement>): Promise<void> {
    event.preventDefault();
    if (running.current) return;
    running.current = true;
    const form = event.currentTarget;
    setBusy(true);
    setFailure(null);
    try {
      setResult(await action(new FormData(form)));
      if (options.resetOnSuccess) form.reset();
    } catch (error) {
      const problem = problemOf(error);
      setFailure({ ...problem, unplaced: problem.fields.filter((f) => !form.elements.namedItem(f.field)) });
    } finally {
      running.current = false;
      setBusy(false);
    }
  }

  return { onSubmit, busy, failure, result };
}

/** A text field's value ('' when the form has no such field). */
export function formText(data: FormData, name: string): string {
  const value = data.get(name);
  return typeof value === 'string' ? value : '';
}

/** A whole number from a number field; undefined when the field is empty. */
export function formWholeNumber(data: FormData, name: string): number | undefined {
  const text = formText(data, name).trim();
  return text === '' ? undefined : Number(text);
}

/** The non-empty lines of a text area: one entry per line. */
export function formLines(data: FormData, name: string): string[] {
  return formText(data, name)
    .split('\n')
    .map((line) => line.trim())
    .filter(Boolean);
}

/** A language choice's value, or the interface language when there is none. */
export function formLocale(data: FormData, name: string): Locale {
  const value = data.get(name);
  return isLocale(value) ? value : currentLocale();
}

const FormContext = createContext<{ failure: FormFailure | null; busy: boolean }>({ failure: null, busy: false });

/** The api's problem with field `name` of the surrounding form, in the interface language. */
export function useFieldProblem(name: string): { text: string; lang?: string } | undefined {
  const { failure } = useContext(FormContext);
  const problem = failure?.fields.find((f) => f.field === name);
  return problem && serverMessage(problem.message);
}

/** Names a problem's field in the alert, for problems no field of the form shows. */
type FieldLabel = (field: string) => string | undefined;

interface FormProps<T> extends Omit<FormHTMLAttributes<HTMLFormElement>, 'onSubmit' | 'action'> {
  action: FormAction<T>;
  /** Words for error codes that mean something particular in this form. */
  messages?: ErrorMessages;
  /** Where a problem is about something other than a field (a row of an uploaded file), its name. */
  fieldLabel?: FieldLabel;
  children: ReactNode;
}

/**
 * A form whose errors are shown the same way everywhere: one alert above the fields (announced
 * by screen readers), and each field's own problem next to it.
 */
export function Form<T>({ action, messages, fieldLabel, children, className, ...rest }: FormProps<T>) {
  return (
    // The api validates; the browser's own bubbles would speak the browser's language, not ours.
    <form noValidate {...rest} className={className ? `quire-form ${className}` : 'quire-form'} onSubmit={(e) => void action.onSubmit(e)}>
      {action.failure && <ProblemAlert failure={action.failure} messages={messages} fieldLabel={fieldLabel} />}
      <FormContext.Provider value={{ failure: action.failure, busy: action.busy }}>{children}</FormContext.Provider>
    </form>
  );
}

function ProblemAlert({ failure, messages, fieldLabel }: { failure: FormFailure; messages?: ErrorMessages; fieldLabel?: FieldLabel }) {
  const { t } = useTranslation();
  return (
    <Alert type="error">
      <Paragraph>{problemMessage(failure, messages, t)}</Paragraph>
      {failure.unplaced.length > 0 && (
        <UnorderedList>
          {failure.unplaced.map((f) => {
            const message = serverMessage(f.message);
            const label = fieldLabel?.(f.field);
            return (
              <UnorderedListItem key={`${f.field}:${f.message}`}>
                {label && `${label}: `}
                <span lang={message.lang}>{message.text}</span>
              </UnorderedListItem>
            );
          })}
        </UnorderedList>
      )}
    </Alert>
  );
}

/** The form's submit button; says it is busy while the form is submitting. */
export function SubmitButton({ children }: { children: ReactNode }) {
  const { busy } = useContext(FormContext);
  return (
    <Button appearance="primary-action-button" type="submit" busy={busy}>
      {children}
    </Button>
  );
}

/**
 * Where news that something went well (saved, sent) appears. The live region is there from the
 * start, so screen readers announce the message when it appears in it.
 */
export function StatusRegion({ message }: { message: ReactNode }) {
  return (
    <div role="status" aria-atomic="true">
      {/* The region itself is the status; the alert inside must not be a second one. */}
      {message && (
        <Alert type="ok" role="none">
          {message}
        </Alert>
      )}
    </div>
  );
}
