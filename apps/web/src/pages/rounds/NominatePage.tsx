import { useMutation, useQuery } from '@apollo/client/react';
import { Fieldset, Paragraph } from '@rijkshuisstijl-community/components-react';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate, useParams } from 'react-router';
import { Loading, QueryProblem } from '../../components/feedback';
import { TextAreaField } from '../../components/fields';
import { Form, formText, SubmitButton, useFormAction } from '../../components/form';
import { noticeState } from '../../components/notice';
import { Page } from '../../components/Page';
import { RouterLink } from '../../components/RouterLink';
import { useDebouncedValue } from '../../components/useDebouncedValue';
import { useFormat } from '../../format';
import { NOMINATE, Round, ROUND } from '../../graphql/nominations';
import { Project } from '../../graphql/operations';
import { paths } from '../../paths';
import { CandidateFields, candidateDetailsFrom, CandidateIdentity } from '../candidates/CandidateFields';
import { projectCrumb, useProject } from '../project/ProjectLayout';
import { remainingNominations } from './RoundPage';
import { SimilarCandidates } from './SimilarCandidates';
import { SourcesFieldset, sourcesFrom } from './SourcesFieldset';

/** How long typing may pause before the character count is read out. */
const COUNT_ANNOUNCE_PAUSE_MS = 1000;

/**
 * The motivation, with its length against the round's limits: shown at once, and read out by
 * screen readers once typing pauses (on every key it would drown out the typing).
 */
function MotivationField({ round }: { round: Round }) {
  const { t } = useTranslation();
  const format = useFormat();
  const [length, setLength] = useState(0);
  const settledLength = useDebouncedValue(length, COUNT_ANNOUNCE_PAUSE_MS);
  const count = (n: number): string => t('nominate.motivationCount', { count: n, length: format.number(n), max: format.number(round.motivationMaxLength) });
  const tooShort = length < round.motivationMinLength;
  return (
    <div className="quire-stack">
      <TextAreaField
        name="motivation"
        label={t('nominate.motivation')}
        description={t('nominate.motivationHint', { min: format.number(round.motivationMinLength), max: format.number(round.motivationMaxLength) })}
        rows={8}
        required
        onChange={(e) => setLength(e.currentTarget.value.trim().length)}
      />
      <Paragraph aria-hidden="true" className={length > round.motivationMaxLength ? 'quire-count quire-count--over' : 'quire-count'}>
        {count(length)}
        {tooShort && length > 0 && ` · ${t('nominate.motivationTooShort', { min: format.number(round.motivationMinLength) })}`}
      </Paragraph>
      <p aria-live="polite" className="quire-visually-hidden">
        {settledLength > 0 && count(settledLength)}
      </p>
    </div>
  );
}

function NominateForm({ project, round }: { project: Project; round: Round }) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const [nominate] = useMutation(NOMINATE);
  const [identity, setIdentity] = useState<CandidateIdentity>({ name: '', birthYear: '', deathYear: '' });
  const action = useFormAction(async (data) => {
    const result = await nominate({
      variables: { roundId: round.id, input: { candidate: candidateDetailsFrom(data), motivation: formText(data, 'motivation'), sources: sourcesFrom(data) } },
      // My count of nominations in the round has changed.
      refetchQueries: [ROUND],
    });
    const nomination = result.data?.nominate;
    if (!nomination) return;
    const notice = nomination.status === 'SUBMITTED' ? t('nominate.awaitingModeration') : t('nominate.published');
    await navigate(paths.candidate(project.slug, nomination.candidateId), noticeState(notice));
  });

  return (
    <Form action={action} messages={{ LIMIT_EXCEEDED: t('nominate.limitReached'), CONFLICT: t('nominate.nominatedAlready') }}>
      <CandidateFields onIdentityChange={setIdentity} afterIdentity={<SimilarCandidates project={project} identity={identity} />} />
      <Fieldset legend={t('nominate.why')}>
        <MotivationField round={round} />
      </Fieldset>
      <SourcesFieldset />
      <SubmitButton>{t('nominate.submit')}</SubmitButton>
    </Form>
  );
}

/** A member nominates someone for the book, warned while typing when the person is there already. */
export function NominatePage() {
  const { t } = useTranslation();
  const format = useFormat();
  const project = useProject();
  const { roundId = '' } = useParams();
  const { data, error } = useQuery(ROUND, { variables: { id: roundId }, fetchPolicy: 'cache-and-network' });
  const round = data?.round;
  const trail = [projectCrumb(project), ...(round ? [{ to: paths.round(project.slug, round.id), label: round.title }] : [])];

  if (error) {
    return (
      <Page title={t('nominate.title')} trail={trail}>
        <QueryProblem error={error} />
      </Page>
    );
  }
  if (!round) return <Loading />;

  const remaining = remainingNominations(round);
  return (
    <Page title={t('nominate.title')} trail={trail}>
      {!round.myActions.includes('nominate') ? (
        <Paragraph>{t('nominate.notNow')}</Paragraph>
      ) : remaining === 0 ? (
        <Paragraph>{t('nominate.limitReached')}</Paragraph>
      ) : (
        <>
          <Paragraph>{t('nominate.intro')}</Paragraph>
          <Paragraph>{t('round.remaining', { count: remaining, remaining: format.number(remaining), max: format.number(round.maxNominationsPerMember) })}</Paragraph>
          <NominateForm project={project} round={round} />
        </>
      )}
      <RouterLink to={paths.round(project.slug, round.id)}>{t('nominate.backToRound', { round: round.title })}</RouterLink>
    </Page>
  );
}
