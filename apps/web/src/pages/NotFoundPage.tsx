import { Paragraph } from '@rijkshuisstijl-community/components-react';
import { useTranslation } from 'react-i18next';
import { Page } from '../components/Page';
import { RouterLink } from '../components/RouterLink';

export function NotFoundPage() {
  const { t } = useTranslation();
  return (
    <Page title={t('notFound.title')}>
      <Paragraph>{t('notFound.body')}</Paragraph>
      <Paragraph>
        <RouterLink to="/">{t('notFound.home')}</RouterLink>
      </Paragraph>
    </Page>
  );
}
