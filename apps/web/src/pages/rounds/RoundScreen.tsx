import { useQuery, useSubscription } from '@apollo/client/react';
import { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { useParams } from 'react-router';
import { Loading, QueryProblem } from '../../components/feedback';
import { Page } from '../../components/Page';
import { Round, ROUND, ROUND_CHANGED } from '../../graphql/nominations';
import { Project } from '../../graphql/operations';
import { paths } from '../../paths';
import { projectCrumb, useProject } from '../project/ProjectLayout';

interface RoundScreenProps {
  /** The screen's title, from the round's. */
  title(round: Round): string;
  /** Whether the trail leads back to the round: false on the round's own page. */
  trailToRound?: boolean;
  children(round: Round, project: Project): ReactNode;
}

/**
 * A screen about one round (/p/:slug/rounds/:roundId and below): loads the round, names the
 * screen after it and leads back to it.
 */
export function RoundScreen({ title, trailToRound = true, children }: RoundScreenProps) {
  const { t } = useTranslation();
  const project = useProject();
  const { roundId = '' } = useParams();
  // The phase changes elsewhere (a schedule, an editor); show the cache, then what is current,
  // then each change as it happens (the pushed round replaces the cached one).
  const { data, error } = useQuery(ROUND, { variables: { id: roundId }, fetchPolicy: 'cache-and-network' });
  useSubscription(ROUND_CHANGED, { variables: { roundId }, skip: !data?.round });
  const round = data?.round;

  if (error) {
    return (
      <Page title={t('round.unavailable')} trail={[projectCrumb(project)]}>
        <QueryProblem error={error} />
      </Page>
    );
  }
  if (!round) return <Loading />;
  return (
    <Page title={title(round)} trail={trailToRound ? [projectCrumb(project), { to: paths.round(project.slug, round.id), label: round.title }] : [projectCrumb(project)]}>
      {children(round, project)}
    </Page>
  );
}
