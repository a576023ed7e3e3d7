import { Heading } from '@rijkshuisstijl-community/components-react';
import { useId } from 'react';
import { useTranslation } from 'react-i18next';
import { ButtonRouterLink, RouterLink } from '../../components/RouterLink';
import { Round } from '../../graphql/nominations';
import { Project } from '../../graphql/operations';
import { paths } from '../../paths';
import { isModerator } from '../project/ProjectLayout';
import { BallotSection } from './Ballot';
import { LiveLeaderboard } from './Leaderboard';

/** Places the round page shows; the leaderboard page has them all. */
const PREVIEW_PLACES = 10;

function LeaderboardSection({ project, round }: { project: Project; round: Round }) {
  const { t } = useTranslation();
  const headingId = useId();
  return (
    <section aria-labelledby={headingId}>
      <Heading level={2} id={headingId}>
        {t('leaderboard.title')}
      </Heading>
      <LiveLeaderboard project={project} round={round} first={PREVIEW_PLACES} />
    </section>
  );
}

/** After the vote: the results for everyone, and the way to the selection for editors. */
function ResultsSection({ project, round }: { project: Project; round: Round }) {
  const { t } = useTranslation();
  const headingId = useId();
  return (
    <section aria-labelledby={headingId}>
      <Heading level={2} id={headingId}>
        {t('results.title')}
      </Heading>
      <div className="quire-actions">
        <ButtonRouterLink to={paths.roundResults(project.slug, round.id)}>{t('results.link')}</ButtonRouterLink>
        {isModerator(project) && <RouterLink to={paths.selection(project.slug, round.id)}>{t('selection.link')}</RouterLink>}
      </div>
    </section>
  );
}

/**
 * The round page's part of the vote: my ballot, with the live leaderboard while voting and the
 * results once closed. The ballot comes first in both, so it stays in place (and its live region
 * speaks) when the round closes while it is on screen.
 */
export function VotingSection({ project, round }: { project: Project; round: Round }) {
  if (round.phase !== 'VOTING' && round.phase !== 'CLOSED') return null;
  return (
    <>
      <BallotSection project={project} round={round} />
      {round.phase === 'VOTING' ? <LeaderboardSection project={project} round={round} /> : <ResultsSection project={project} round={round} />}
    </>
  );
}
