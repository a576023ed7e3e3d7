import { useQuery } from '@apollo/client/react';
import { DataSummary, DataSummaryItem, Heading, Paragraph } from '@rijkshuisstijl-community/components-react';
import { useId } from 'react';
import { useTranslation } from 'react-i18next';
import { QueryProblem } from '../../components/feedback';
import { RouterLink } from '../../components/RouterLink';
import { useFormat } from '../../format';
import { Project } from '../../graphql/operations';
import { PORTRAIT_STATUSES, PORTRAITS } from '../../graphql/portraits';
import { paths } from '../../paths';

/** On the project home: how many portraits stand where, and the way to all of them. */
export function PortraitsSection({ project }: { project: Project }) {
  const { t } = useTranslation();
  const format = useFormat();
  const headingId = useId();
  const { data, error } = useQuery(PORTRAITS, { variables: { projectId: project.id }, fetchPolicy: 'cache-and-network' });
  const portraits = data?.portraits ?? [];

  return (
    <section aria-labelledby={headingId}>
      <Heading level={2} id={headingId}>
        {t('portraits.title')}
      </Heading>
      {error && <QueryProblem error={error} />}
      {data && portraits.length === 0 && <Paragraph>{t('portraits.empty')}</Paragraph>}
      {portraits.length > 0 && (
        <>
          <Paragraph>{t('portraits.summary', { count: portraits.length, formatted: format.number(portraits.length) })}</Paragraph>
          <DataSummary>
            {PORTRAIT_STATUSES.map((status) => ({ status, count: portraits.filter((p) => p.status === status).length }))
              .filter(({ count }) => count > 0)
              .map(({ status, count }) => (
                <DataSummaryItem key={status} itemKey={t(`portraits.statuses.${status}`)} itemValue={format.number(count)} />
              ))}
          </DataSummary>
          <RouterLink to={paths.portraits(project.slug)}>{t('portraits.all')}</RouterLink>
        </>
      )}
    </section>
  );
}
