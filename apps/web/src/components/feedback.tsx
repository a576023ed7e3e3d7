import { Alert, Paragraph } from '@rijkshuisstijl-community/components-react';
import { useTranslation } from 'react-i18next';
import { TFunction } from 'i18next';
import { ErrorCode, Problem, problemOf } from '../graphql/errors';

/** Words for error codes that mean something particular where they are shown; made from the error's details where they need them. */
export type ErrorMessages = Partial<Record<ErrorCode, string | ((details: Problem['details']) => string)>>;

/** The words for a problem: the caller's for its code, else the interface's. */
export function problemMessage(problem: Problem, messages: ErrorMessages | undefined, t: TFunction): string {
  const message = messages?.[problem.code];
  if (typeof message === 'function') return message(problem.details);
  return message ?? t(`errors.${problem.code}`);
}

/** Shown while a screen's data is on its way. */
export function Loading({ label }: { label?: string }) {
  const { t } = useTranslation();
  return <Paragraph aria-busy="true">{label ?? t('app.loading')}</Paragraph>;
}

/** Why a screen's data could not be loaded, or an action failed, in the interface language. */
export function QueryProblem({ error, messages }: { error: unknown; messages?: ErrorMessages }) {
  const { t } = useTranslation();
  return (
    <Alert type="error">
      <Paragraph>{problemMessage(problemOf(error), messages, t)}</Paragraph>
    </Alert>
  );
}
