import { Alert, Paragraph } from '@rijkshuisstijl-community/components-react';
import { useTranslation } from 'react-i18next';
import { ErrorCode, problemOf } from '../graphql/errors';

/** Words for error codes that mean something particular where they are shown. */
export type ErrorMessages = Partial<Record<ErrorCode, string>>;

/** Shown while a screen's data is on its way. */
export function Loading({ label }: { label?: string }) {
  const { t } = useTranslation();
  return <Paragraph aria-busy="true">{label ?? t('app.loading')}</Paragraph>;
}

/** Why a screen's data could not be loaded, or an action failed, in the interface language. */
export function QueryProblem({ error, messages }: { error: unknown; messages?: ErrorMessages }) {
  const { t } = useTranslation();
  const { code } = problemOf(error);
  return (
    <Alert type="error">
      <Paragraph>{messages?.[code] ?? t(`errors.${code}`)}</Paragraph>
    </Alert>
  );
}
