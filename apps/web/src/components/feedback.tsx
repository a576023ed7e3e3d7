import { Alert, Paragraph } from '@rijkshuisstijl-community/components-react';
import { useTranslation } from 'react-i18next';
import { problemOf } from '../graphql/errors';

/** Shown while a screen's data is on its way. */
export function Loading({ label }: { label?: string }) {
  const { t } = useTranslation();
  return <Paragraph aria-busy="true">{label ?? t('app.loading')}</Paragraph>;
}

/** Why a screen's data could not be loaded, in the interface language. */
export function QueryProblem({ error }: { error: unknown }) {
  const { t } = useTranslation();
  return (
    <Alert type="error">
      <Paragraph>{t(`errors.${problemOf(error).code}`)}</Paragraph>
    </Alert>
  );
}
