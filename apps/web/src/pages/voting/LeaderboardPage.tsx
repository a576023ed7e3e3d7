import { useTranslation } from 'react-i18next';
import { isModerator } from '../project/ProjectLayout';
import { RoundScreen } from '../rounds/RoundScreen';
import { LiveLeaderboard } from './Leaderboard';
import { RecountSection } from './RecountSection';

/** Places shown at first; more on request. */
const PLACES_FIRST = 100;

/** A round's whole leaderboard, live, for anyone following the vote; and recounts for editors. */
export function LeaderboardPage() {
  const { t } = useTranslation();
  return (
    <RoundScreen title={(round) => t('leaderboard.pageTitle', { round: round.title })}>
      {(round, project) => (
        <>
          <LiveLeaderboard project={project} round={round} first={PLACES_FIRST} expandable />
          {isModerator(project) && <RecountSection project={project} round={round} />}
        </>
      )}
    </RoundScreen>
  );
}
