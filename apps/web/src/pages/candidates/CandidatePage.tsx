import { useMutation, useQuery } from '@apollo/client/react';
import { DataSummary, DataSummaryItem, Heading, Paragraph } from '@rijkshuisstijl-community/components-react';
import { ReactNode, useId } from 'react';
import { useTranslation } from 'react-i18next';
import { useParams } from 'react-router';
import { ActionButton } from '../../components/actions';
import { Loading, QueryProblem } from '../../components/feedback';
import { StatusRegion } from '../../components/form';
import { usePageNotice } from '../../components/notice';
import { Crumb, Page } from '../../components/Page';
import { Translated } from '../../components/Translated';
import { yearSpan } from '../../format';
import {
  CANDIDATE, CandidateProfile, ENDORSE_CANDIDATE, FOLLOW_CANDIDATE, ROUNDS, UNFOLLOW_CANDIDATE, WITHDRAW_ENDORSEMENT,
} from '../../graphql/nominations';
import { Project } from '../../graphql/operations';
import { paths } from '../../paths';
import { isModerator, projectCrumb, useProject } from '../project/ProjectLayout';
import { CommentsSection } from './CommentsSection';
import { EditorSection } from './EditorSection';
import { NominationsSection } from './NominationsSection';

/** The project, and the round the candidate was last nominated in. */
function useTrail(project: Project, candidate: CandidateProfile | undefined): Crumb[] {
  const { data } = useQuery(ROUNDS, { variables: { projectId: project.id } });
  const roundIds = new Set(candidate?.nominations.map((n) => n.roundId));
  // Rounds come newest first.
  const round = data?.rounds.find((r) => roundIds.has(r.id));
  return [projectCrumb(project), ...(round ? [{ to: paths.round(project.slug, round.id), label: round.title }] : [])];
}

function Facts({ candidate }: { candidate: CandidateProfile }) {
  const { t } = useTranslation();
  const facts: [string, string][] = [
    [t('candidate.lifeYears'), yearSpan(candidate.birthYear, candidate.deathYear)],
    [t('candidate.status'), t(`candidateStatuses.${candidate.status}`)],
    [t('candidate.governmentLayer'), t(`layers.${candidate.governmentLayer}`)],
    [t('candidate.period'), yearSpan(candidate.periodStart, candidate.periodEnd)],
    [t('candidate.organisation'), candidate.organisation],
    [t('candidate.offices'), candidate.offices.join('; ')],
    [t('candidate.region'), candidate.region],
    [t('candidate.nameVariants'), candidate.nameVariants.join('; ')],
    [t('candidate.gender'), t(`genders.${candidate.gender}`)],
  ];
  return (
    <DataSummary>
      {facts
        .filter(([, value]) => value)
        .map(([key, value]) => (
          <DataSummaryItem key={key} itemKey={key} itemValue={value} />
        ))}
      {candidate.wikidataId && (
        <DataSummaryItem itemKey={t('candidate.wikidataId')} itemValue={candidate.wikidataId} href={`https://www.wikidata.org/wiki/${encodeURIComponent(candidate.wikidataId)}`} />
      )}
    </DataSummary>
  );
}

/** Endorsing (one per member, the count shows) and following (news of new comments). */
function SupportSection({ candidate, announce }: { candidate: CandidateProfile; announce(notice: ReactNode): void }) {
  const { t } = useTranslation();
  const headingId = useId();
  const refetch = { refetchQueries: [CANDIDATE], awaitRefetchQueries: true };
  const [endorse] = useMutation(ENDORSE_CANDIDATE, refetch);
  const [withdrawEndorsement] = useMutation(WITHDRAW_ENDORSEMENT, refetch);
  const [follow] = useMutation(FOLLOW_CANDIDATE, refetch);
  const [unfollow] = useMutation(UNFOLLOW_CANDIDATE, refetch);
  const variables = { id: candidate.id };

  return (
    <section aria-labelledby={headingId}>
      <Heading level={2} id={headingId}>
        {t('candidate.support')}
      </Heading>
      <Paragraph>{t('candidate.endorsements', { count: candidate.endorsementCount })}</Paragraph>
      <div className="quire-actions">
        {candidate.endorsedByMe ? (
          <ActionButton
            onAction={async () => {
              await withdrawEndorsement({ variables });
              announce(<Translated>{(tr) => tr('candidate.endorsementWithdrawn')}</Translated>);
            }}
          >
            {t('candidate.withdrawEndorsement')}
          </ActionButton>
        ) : (
          <ActionButton
            appearance="primary-action-button"
            messages={{ CONFLICT: t('similar.endorsedAlready') }}
            onAction={async () => {
              await endorse({ variables });
              announce(<Translated>{(tr) => tr('candidate.endorsed')}</Translated>);
            }}
          >
            {t('candidate.endorse')}
          </ActionButton>
        )}
        {candidate.followedByMe ? (
          <ActionButton
            onAction={async () => {
              await unfollow({ variables });
              announce(<Translated>{(tr) => tr('candidate.unfollowed')}</Translated>);
            }}
          >
            {t('candidate.unfollow')}
          </ActionButton>
        ) : (
          <ActionButton
            onAction={async () => {
              await follow({ variables });
              announce(<Translated>{(tr) => tr('candidate.followed')}</Translated>);
            }}
          >
            {t('candidate.follow')}
          </ActionButton>
        )}
      </div>
      <Paragraph className="quire-muted">{t('candidate.followHint')}</Paragraph>
    </section>
  );
}

/** A candidate: who they are, who nominated them and why, support, the conversation, and editors' tools. */
export function CandidatePage() {
  const { t } = useTranslation();
  const project = useProject();
  const { candidateId = '' } = useParams();
  const [notice, announce] = usePageNotice();
  const { data, error } = useQuery(CANDIDATE, { variables: { id: candidateId }, fetchPolicy: 'cache-and-network' });
  const candidate = data?.candidate;
  const trail = useTrail(project, candidate);

  if (error) {
    return (
      <Page title={t('candidate.unavailable')} trail={trail}>
        <QueryProblem error={error} />
      </Page>
    );
  }
  if (!candidate) return <Loading />;

  const life = yearSpan(candidate.birthYear, candidate.deathYear);
  return (
    <Page title={life ? `${candidate.name} (${life})` : candidate.name} trail={trail}>
      <StatusRegion message={notice} />
      {/* The api answers for a merged candidate with the one it was merged into. */}
      {candidate.id !== candidateId && <Paragraph>{t('candidate.redirected', { name: candidate.name })}</Paragraph>}
      <Facts candidate={candidate} />
      {candidate.bio && <Paragraph className="quire-prose">{candidate.bio}</Paragraph>}
      <SupportSection candidate={candidate} announce={announce} />
      <NominationsSection candidate={candidate} announce={announce} />
      <CommentsSection candidate={candidate} announce={announce} />
      {isModerator(project) && <EditorSection project={project} candidate={candidate} announce={announce} />}
    </Page>
  );
}
