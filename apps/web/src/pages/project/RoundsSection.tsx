import { useQuery } from '@apollo/client/react';
import { DataSummary, DataSummaryItem, Heading, Paragraph } from '@rijkshuisstijl-community/components-react';
import { useId } from 'react';
import { useTranslation } from 'react-i18next';
import { Loading, QueryProblem } from '../../components/feedback';
import { ButtonRouterLink, RouterLink } from '../../components/RouterLink';
import { ROUNDS } from '../../graphql/nominations';
import { Project } from '../../graphql/operations';
import { paths } from '../../paths';
import { useRoundSchedule } from '../rounds/schedule';
import { isModerator } from './ProjectLayout';

/** The project's nomination rounds, newest first; editors start new ones and moderate here. */
export function RoundsSection({ project }: { project: Project }) {
  const { t } = useTranslation();
  const headingId = useId();
  const schedule = useRoundSchedule();
  // Rounds change phase on a schedule; show the cache, then what is current.
  const { data, error } = useQuery(ROUNDS, { variables: { projectId: project.id }, fetchPolicy: 'cache-and-network' });

  return (
    <section aria-labelledby={headingId}>
      <Heading level={2} id={headingId}>
        {t('rounds.title')}
      </Heading>
      {error ? (
        <QueryProblem error={error} />
      ) : !data ? (
        <Loading />
      ) : data.rounds.length === 0 ? (
        <Paragraph>{t('rounds.empty')}</Paragraph>
      ) : (
        <ul className="quire-cards">
          {data.rounds.map((round) => (
            <li key={round.id} className="quire-card">
              <Heading level={3}>
                <RouterLink to={paths.round(project.slug, round.id)}>{round.title}</RouterLink>
              </Heading>
              <DataSummary>
                {schedule(round).map((item) => (
                  <DataSummaryItem key={item.label} itemKey={item.label} itemValue={item.value} />
                ))}
              </DataSummary>
            </li>
          ))}
        </ul>
      )}
      {isModerator(project) && (
        <div className="quire-actions">
          <ButtonRouterLink to={paths.newRound(project.slug)}>{t('rounds.new')}</ButtonRouterLink>
          <RouterLink to={paths.moderation(project.slug)}>{t('moderation.title')}</RouterLink>
        </div>
      )}
    </section>
  );
}
