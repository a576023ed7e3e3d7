import { useApolloClient, useQuery } from '@apollo/client/react';
import {
  Alert, DataSummary, DataSummaryItem, Heading, Paragraph, TableBody, TableCell, TableHeader, TableHeaderCell, TableRow,
} from '@rijkshuisstijl-community/components-react';
import { useId } from 'react';
import { useTranslation } from 'react-i18next';
import { ActionButton } from '../../components/actions';
import { Loading, QueryProblem } from '../../components/feedback';
import { RouterLink } from '../../components/RouterLink';
import { TableRegion } from '../../components/TableRegion';
import { downloadExport } from '../../download';
import { useFormat } from '../../format';
import { ExportFormat, Round } from '../../graphql/nominations';
import { Project } from '../../graphql/operations';
import { EXPORT_ROUND_RESULTS, ROUND_RESULTS, RoundResults, SELECTION, SELECTIONS } from '../../graphql/voting';
import { paths } from '../../paths';
import { isModerator } from '../project/ProjectLayout';
import { RoundScreen } from '../rounds/RoundScreen';
import { TieBreak } from '../selection/TieBreak';

/** The frozen results as open data, counted as they were when the round closed. */
function ResultsExport({ round }: { round: Round }) {
  const { t } = useTranslation();
  const client = useApolloClient();
  const headingId = useId();

  async function download(format: ExportFormat): Promise<void> {
    const { data } = await client.query({ query: EXPORT_ROUND_RESULTS, variables: { roundId: round.id, format }, fetchPolicy: 'no-cache' });
    if (data) downloadExport(`${round.title} ${t('results.title')}`, format, data.exportRoundResults);
  }

  return (
    <section aria-labelledby={headingId}>
      <Heading level={2} id={headingId}>
        {t('export.title')}
      </Heading>
      <Paragraph>{t('results.exportIntro')}</Paragraph>
      <div className="quire-actions">
        <ActionButton onAction={() => download('CSV')}>{t('export.csv')}</ActionButton>
        <ActionButton onAction={() => download('JSON')}>{t('export.json')}</ActionButton>
      </div>
    </section>
  );
}

function ResultsTable({ project, results }: { project: Project; results: RoundResults }) {
  const { t } = useTranslation();
  const format = useFormat();
  return (
    <TableRegion caption={t('results.caption')}>
      <TableHeader>
        <TableRow>
          <TableHeaderCell scope="col">{t('leaderboard.rank')}</TableHeaderCell>
          <TableHeaderCell scope="col">{t('leaderboard.candidate')}</TableHeaderCell>
          <TableHeaderCell scope="col">{t('leaderboard.votes')}</TableHeaderCell>
          <TableHeaderCell scope="col">{t('candidate.status')}</TableHeaderCell>
        </TableRow>
      </TableHeader>
      <TableBody>
        {results.entries.map(({ rank, votes, candidate }) => (
          <TableRow key={candidate.id}>
            <TableCell>{format.number(rank)}</TableCell>
            <TableCell>
              <RouterLink to={paths.candidate(project.slug, candidate.id)}>{candidate.name}</RouterLink>
            </TableCell>
            <TableCell>{format.number(votes)}</TableCell>
            <TableCell>{t(`candidateStatuses.${candidate.status}`)}</TableCell>
          </TableRow>
        ))}
      </TableBody>
    </TableRegion>
  );
}

/** How the confirmed selection decided equal votes: the seeded draw, and the candidates it split. */
function ConfirmedDraw({ project, round }: { project: Project; round: Round }) {
  const { t } = useTranslation();
  const format = useFormat();
  const list = useQuery(SELECTIONS, { variables: { roundId: round.id }, fetchPolicy: 'cache-and-network' });
  const confirmed = list.data?.selections.find((s) => s.status === 'CONFIRMED');
  const { data, error } = useQuery(SELECTION, { variables: { id: confirmed?.id ?? '' }, skip: !confirmed });
  if (list.error ?? error) return <QueryProblem error={list.error ?? error} />;
  if (!confirmed?.confirmedAt || !data) return null;
  return (
    <div className="quire-stack">
      <TieBreak project={project} selection={data.selection} level={2} />
      <Paragraph>{t('selection.confirmedDraw', { date: format.dateTime(confirmed.confirmedAt) })}</Paragraph>
    </div>
  );
}

function Results({ project, round }: { project: Project; round: Round }) {
  const { t } = useTranslation();
  const format = useFormat();
  // Statuses change when the editors confirm their selection; show the cache, then what is current.
  const { data, error } = useQuery(ROUND_RESULTS, { variables: { roundId: round.id }, fetchPolicy: 'cache-and-network' });
  if (error) return <QueryProblem error={error} />;
  if (!data) return <Loading />;
  const results = data.roundResults;
  if (!results) return <Paragraph>{t('results.notYet')}</Paragraph>;

  const totals: [string, string][] = [
    [t('results.frozenAt'), format.dateTime(results.frozenAt)],
    [t('leaderboard.totalVotes'), format.number(results.totalVotes)],
    [t('leaderboard.voters'), format.number(results.voters)],
    [t('leaderboard.countedVoters'), format.number(results.countedVoters)],
  ];
  return (
    <>
      <DataSummary>
        {totals.map(([key, value]) => (
          <DataSummaryItem key={key} itemKey={key} itemValue={value} />
        ))}
      </DataSummary>
      {/* Transparency: a live tally that disagreed with the votes is reported, never hidden. */}
      {!results.liveTallyAgreed && (
        <Alert type="warning">
          <Paragraph>{t('results.disagreed', { count: results.differences.length })}</Paragraph>
        </Alert>
      )}
      {isModerator(project) && <RouterLink to={paths.selection(project.slug, round.id)}>{t('selection.link')}</RouterLink>}
      <ResultsTable project={project} results={results} />
      <ConfirmedDraw project={project} round={round} />
      <ResultsExport round={round} />
    </>
  );
}

/** A closed round's results with their counts, published for everyone, and as open data. */
export function ResultsPage() {
  const { t } = useTranslation();
  return <RoundScreen title={(round) => t('results.pageTitle', { round: round.title })}>{(round, project) => <Results project={project} round={round} />}</RoundScreen>;
}
