import { useMutation, useQuery } from '@apollo/client/react';
import { Alert, Heading, Paragraph, TableBody, TableCell, TableHeader, TableHeaderCell, TableRow } from '@rijkshuisstijl-community/components-react';
import { useEffect, useId } from 'react';
import { useTranslation } from 'react-i18next';
import { ActionButton } from '../../components/actions';
import { Loading, QueryProblem } from '../../components/feedback';
import { RouterLink } from '../../components/RouterLink';
import { TableRegion } from '../../components/TableRegion';
import { useFormat } from '../../format';
import { Round } from '../../graphql/nominations';
import { Project } from '../../graphql/operations';
import { Recount, RECOUNTS, REQUEST_RECOUNT } from '../../graphql/voting';
import { paths } from '../../paths';

/** How often a pending recount is asked after; a worker runs it in a moment. */
const PENDING_POLL_MS = 1000;
/** Recounts listed; older ones stay on record (audit log). */
const LISTED = 5;

/** One recount's outcome: agreement with the count, or the candidates whose counts differ. */
function RecountOutcome({ project, recount }: { project: Project; recount: Recount }) {
  const { t } = useTranslation();
  const format = useFormat();
  if (recount.status === 'PENDING') return <Paragraph>{t('recount.pending')}</Paragraph>;
  const lag = recount.pendingEvents ? <Paragraph>{t('recount.lag', { count: recount.pendingEvents })}</Paragraph> : null;
  if (recount.agreed) {
    return (
      <>
        <Paragraph>{t('recount.agreed', { count: recount.totalVotes ?? 0, votes: format.number(recount.totalVotes ?? 0) })}</Paragraph>
        {lag}
      </>
    );
  }
  // Transparency: a disagreement is shown as it is, candidate by candidate.
  return (
    <>
      <Alert type="warning">
        <Paragraph>{t('recount.disagreed', { count: recount.differences.length })}</Paragraph>
      </Alert>
      {lag}
      <TableRegion caption={t('recount.caption')}>
        <TableHeader>
          <TableRow>
            <TableHeaderCell scope="col">{t('leaderboard.candidate')}</TableHeaderCell>
            <TableHeaderCell scope="col">{t('recount.live')}</TableHeaderCell>
            <TableHeaderCell scope="col">{t('recount.counted')}</TableHeaderCell>
          </TableRow>
        </TableHeader>
        <TableBody>
          {recount.differences.map((difference) => (
            <TableRow key={difference.candidateId}>
              <TableHeaderCell scope="row">
                <RouterLink to={paths.candidate(project.slug, difference.candidateId)}>{difference.candidate.name}</RouterLink>
              </TableHeaderCell>
              <TableCell>{format.number(difference.live)}</TableCell>
              <TableCell>{format.number(difference.recount)}</TableCell>
            </TableRow>
          ))}
        </TableBody>
      </TableRegion>
    </>
  );
}

/**
 * For editors: the live tally counted again from the votes by a worker, and compared. The newest
 * recount's outcome is a live region, so asking and then hearing the answer needs no search.
 */
export function RecountSection({ project, round }: { project: Project; round: Round }) {
  const { t } = useTranslation();
  const format = useFormat();
  const headingId = useId();
  const { data, error, startPolling, stopPolling } = useQuery(RECOUNTS, { variables: { roundId: round.id }, fetchPolicy: 'cache-and-network' });
  const [requestRecount] = useMutation(REQUEST_RECOUNT, { refetchQueries: [RECOUNTS], awaitRefetchQueries: true });
  const recounts = data?.recounts;
  const pending = recounts?.some((recount) => recount.status === 'PENDING') ?? false;
  useEffect(() => {
    if (!pending) return undefined;
    startPolling(PENDING_POLL_MS);
    return () => stopPolling();
  }, [pending, startPolling, stopPolling]);

  const [newest, ...earlier] = recounts ?? [];
  return (
    <section aria-labelledby={headingId}>
      <Heading level={2} id={headingId}>
        {t('recount.title')}
      </Heading>
      <Paragraph>{t('recount.intro')}</Paragraph>
      <div className="quire-actions">
        <ActionButton onAction={() => requestRecount({ variables: { roundId: round.id } })}>{t('recount.request')}</ActionButton>
      </div>
      {error ? <QueryProblem error={error} /> : !recounts ? <Loading /> : null}
      <div role="status" aria-atomic="true">
        {newest && (
          <>
            <Heading level={3}>{t('recount.asked', { at: format.dateTime(newest.createdAt) })}</Heading>
            <RecountOutcome project={project} recount={newest} />
          </>
        )}
      </div>
      {earlier.slice(0, LISTED - 1).map((recount) => (
        <div key={recount.id}>
          <Heading level={3}>{t('recount.asked', { at: format.dateTime(recount.createdAt) })}</Heading>
          <RecountOutcome project={project} recount={recount} />
        </div>
      ))}
    </section>
  );
}
