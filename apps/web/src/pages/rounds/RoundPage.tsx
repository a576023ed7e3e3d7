import { useApolloClient } from '@apollo/client/react';
import { DataSummary, DataSummaryItem, Heading, Paragraph, UnorderedList, UnorderedListItem } from '@rijkshuisstijl-community/components-react';
import { useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ActionButton } from '../../components/actions';
import { StatusRegion } from '../../components/form';
import { usePageNotice } from '../../components/notice';
import { useOnChange } from '../../components/useOnChange';
import { ButtonRouterLink, RouterLink } from '../../components/RouterLink';
import { downloadExport } from '../../download';
import { useFormat } from '../../format';
import { EXPORT_NOMINATIONS, ExportFormat, Round } from '../../graphql/nominations';
import { Project } from '../../graphql/operations';
import { paths } from '../../paths';
import { isModerator } from '../project/ProjectLayout';
import { RoundScreen } from './RoundScreen';
import { VotingSection } from '../voting/VotingSection';
import { CandidateList } from './CandidateList';
import { useRoundSchedule } from './schedule';

/** How many more nominations the signed-in person may make in the round. */
export function remainingNominations(round: Round): number {
  return Math.max(0, round.maxNominationsPerMember - round.myNominationCount);
}

/** What the signed-in person may do in the round now, and the way to nominate. */
function MyPartSection({ project, round }: { project: Project; round: Round }) {
  const { t } = useTranslation();
  const format = useFormat();
  const headingId = useId();
  const mayNominate = round.myActions.includes('nominate');
  const remaining = remainingNominations(round);
  return (
    <section aria-labelledby={headingId}>
      <Heading level={2} id={headingId}>
        {t('round.myPart')}
      </Heading>
      {round.myActions.length === 0 ? (
        <Paragraph>{t('round.nothingNow')}</Paragraph>
      ) : (
        <UnorderedList>
          {round.myActions.map((action) => (
            <UnorderedListItem key={action}>{t(`round.may.${action}`)}</UnorderedListItem>
          ))}
        </UnorderedList>
      )}
      {mayNominate && (
        <>
          <Paragraph>{t('round.remaining', { count: remaining, remaining: format.number(remaining), max: format.number(round.maxNominationsPerMember) })}</Paragraph>
          {remaining > 0 && <ButtonRouterLink to={paths.nominate(project.slug, round.id)}>{t('nominate.title')}</ButtonRouterLink>}
        </>
      )}
    </section>
  );
}

/** The round's published nominations as open data. */
function ExportSection({ round }: { round: Round }) {
  const { t } = useTranslation();
  const client = useApolloClient();
  const headingId = useId();

  async function download(format: ExportFormat): Promise<void> {
    const { data } = await client.query({ query: EXPORT_NOMINATIONS, variables: { roundId: round.id, format }, fetchPolicy: 'no-cache' });
    if (data) downloadExport(round.title, format, data.exportNominations);
  }

  return (
    <section aria-labelledby={headingId}>
      <Heading level={2} id={headingId}>
        {t('export.title')}
      </Heading>
      <Paragraph>{t('export.intro')}</Paragraph>
      <div className="quire-actions">
        <ActionButton onAction={() => download('CSV')}>{t('export.csv')}</ActionButton>
        <ActionButton onAction={() => download('JSON')}>{t('export.json')}</ActionButton>
      </div>
    </section>
  );
}

/** Says so when the round moves to another phase while its page is open (the page changes with it). */
function usePhaseChangeMessage(round: Round): string | null {
  const { t } = useTranslation();
  // The phase, not the sentence: the sentence is made when shown, in the language of that moment.
  const [changedTo, setChangedTo] = useState<Round['phase'] | null>(null);
  useOnChange(round.phase, setChangedTo);
  return changedTo && t('round.phaseChanged', { phase: t(`phases.${changedTo}`) });
}

function RoundContent({ project, round }: { project: Project; round: Round }) {
  const { t } = useTranslation();
  const schedule = useRoundSchedule();
  const [notice] = usePageNotice();
  const phaseChange = usePhaseChangeMessage(round);
  return (
    <>
      <StatusRegion message={phaseChange ?? notice} />
      {round.description && <Paragraph className="quire-prose">{round.description}</Paragraph>}
      <DataSummary>
        {schedule(round).map((item) => (
          <DataSummaryItem key={item.label} itemKey={item.label} itemValue={item.value} />
        ))}
      </DataSummary>
      {isModerator(project) && <RouterLink to={paths.roundSettings(project.slug, round.id)}>{t('roundSettings.title')}</RouterLink>}
      <MyPartSection project={project} round={round} />
      <VotingSection project={project} round={round} />
      <CandidateList project={project} round={round} />
      <ExportSection round={round} />
    </>
  );
}

/** A round: its schedule, what I may do now, its candidates, and its data to download. */
export function RoundPage() {
  return (
    <RoundScreen title={(round) => round.title} trailToRound={false}>
      {(round, project) => <RoundContent project={project} round={round} />}
    </RoundScreen>
  );
}
