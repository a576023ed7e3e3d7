import { useMutation, useQuery } from '@apollo/client/react';
import {
  Alert, DataSummary, DataSummaryItem, Heading, Paragraph, TableBody, TableCell, TableHeader, TableHeaderCell, TableRow,
} from '@rijkshuisstijl-community/components-react';
import { ReactNode, useId } from 'react';
import { useTranslation } from 'react-i18next';
import { ConfirmButton } from '../../components/dialogs';
import { Loading, QueryProblem } from '../../components/feedback';
import { RouterLink } from '../../components/RouterLink';
import { TableRegion } from '../../components/TableRegion';
import { Translated } from '../../components/Translated';
import { useFormat } from '../../format';
import { Project } from '../../graphql/operations';
import { CONFIRM_SELECTION, QuotaOutcome, ROUND_RESULTS, Selection, SELECTION, SELECTION_PLACES, SELECTIONS } from '../../graphql/voting';
import { paths } from '../../paths';
import { TieBreak } from './TieBreak';

function QuotaEffect({ quota }: { quota: QuotaOutcome }) {
  const { t } = useTranslation();
  const format = useFormat();
  if (quota.binding) return <>{t('selection.binds', { votes: format.number(quota.costInVotes ?? 0) })}</>;
  if (quota.atLimit) return <>{t('selection.atLimit')}</>;
  return <>{t('selection.free')}</>;
}

/** Each quota: its limits, how many of its group could be and were selected, and what it costs in votes. */
function QuotaOutcomes({ selection }: { selection: Selection }) {
  const { t } = useTranslation();
  const format = useFormat();
  return (
    <TableRegion caption={t('selection.quotaCaption')}>
      <TableHeader>
        <TableRow>
          <TableHeaderCell scope="col">{t('selection.quotaColumn')}</TableHeaderCell>
          <TableHeaderCell scope="col">{t('selection.limits')}</TableHeaderCell>
          <TableHeaderCell scope="col">{t('selection.available')}</TableHeaderCell>
          <TableHeaderCell scope="col">{t('selection.selected')}</TableHeaderCell>
          <TableHeaderCell scope="col">{t('selection.effect')}</TableHeaderCell>
        </TableRow>
      </TableHeader>
      <TableBody>
        {selection.quotas.map((quota, index) => (
          // Two quotas may have the same name; their place in the list tells them apart.
          <TableRow key={index}>
            <TableHeaderCell scope="row">{quota.label}</TableHeaderCell>
            <TableCell>
              {quota.max === null
                ? t('selection.atLeast', { min: format.number(quota.min) })
                : t('selection.between', { min: format.number(quota.min), max: format.number(quota.max) })}
            </TableCell>
            <TableCell>{format.number(quota.available)}</TableCell>
            <TableCell>{quota.selected === null ? '–' : format.number(quota.selected)}</TableCell>
            <TableCell>
              <QuotaEffect quota={quota} />
            </TableCell>
          </TableRow>
        ))}
      </TableBody>
    </TableRegion>
  );
}

function SelectedCandidates({ project, selection }: { project: Project; selection: Selection }) {
  const { t } = useTranslation();
  const format = useFormat();
  return (
    <TableRegion caption={t('selection.selectedCaption')}>
      <TableHeader>
        <TableRow>
          <TableHeaderCell scope="col">{t('leaderboard.candidate')}</TableHeaderCell>
          <TableHeaderCell scope="col">{t('leaderboard.votes')}</TableHeaderCell>
          <TableHeaderCell scope="col">{t('selection.drawPosition')}</TableHeaderCell>
          <TableHeaderCell scope="col">{t('selection.pinned')}</TableHeaderCell>
        </TableRow>
      </TableHeader>
      <TableBody>
        {selection.entries.map(({ candidate, votes, drawPosition, pinned }) => (
          <TableRow key={candidate.id}>
            <TableCell>
              <RouterLink to={paths.candidate(project.slug, candidate.id)}>{candidate.name}</RouterLink>
            </TableCell>
            <TableCell>{format.number(votes)}</TableCell>
            <TableCell>{format.number(drawPosition)}</TableCell>
            <TableCell>{pinned ? t('selection.yes') : ''}</TableCell>
          </TableRow>
        ))}
      </TableBody>
    </TableRegion>
  );
}

interface ProposalViewProps {
  project: Project;
  selectionId: string;
  /** Whether this proposal may be confirmed from here (editors, while none of the round is confirmed and the book has places left). */
  confirmable: boolean;
  /** Puts a proposal's seed in the editors' form, to re-run its draw; absent for readers. */
  onReuseSeed?(seed: string): void;
  announce(notice: ReactNode): void;
}

/**
 * A proposal of the balance assistant, or the confirmed selection: the N, their votes, which
 * quotas bind and what they cost, and the draw for ties. Editors confirm it here, after a question.
 */
export function ProposalView({ project, selectionId, confirmable, onReuseSeed, announce }: ProposalViewProps) {
  const { t } = useTranslation();
  const format = useFormat();
  const headingId = useId();
  const { data, error } = useQuery(SELECTION, { variables: { id: selectionId } });
  const [confirmSelection] = useMutation(CONFIRM_SELECTION, { refetchQueries: [SELECTIONS, ROUND_RESULTS, SELECTION_PLACES], awaitRefetchQueries: true });
  const selection = data?.selection;

  if (error) return <QueryProblem error={error} />;
  if (!selection) return <Loading />;
  const optimal = selection.outcome === 'OPTIMAL';
  const count = selection.entries.length;

  return (
    <section aria-labelledby={headingId}>
      <Heading level={2} id={headingId}>
        {selection.status === 'CONFIRMED' ? t('selection.confirmedTitle') : t('selection.proposal')}
      </Heading>
      <Paragraph className="quire-muted">{t('selection.madeAt', { date: format.dateTime(selection.createdAt) })}</Paragraph>
      {optimal ? (
        <Paragraph>{t('selection.optimal', { count, votes: format.number(selection.totalVotes ?? 0) })}</Paragraph>
      ) : (
        <Alert type="warning">
          <Paragraph>{t('selection.infeasible')}</Paragraph>
        </Alert>
      )}
      <DataSummary>
        <DataSummaryItem itemKey={t('selection.size')} itemValue={format.number(selection.size)} />
        <DataSummaryItem itemKey={t('selection.pinned')} itemValue={format.number(selection.pinned.length)} />
        <DataSummaryItem itemKey={t('selection.excluded')} itemValue={format.number(selection.excluded.length)} />
      </DataSummary>
      <Paragraph className="quire-muted">{t('selection.solveSeconds', { seconds: format.number(Math.round(selection.solveSeconds * 100) / 100) })}</Paragraph>
      {selection.quotas.length > 0 && <QuotaOutcomes selection={selection} />}
      {optimal && <SelectedCandidates project={project} selection={selection} />}
      <TieBreak project={project} selection={selection} level={3} onReuseSeed={onReuseSeed} />
      {confirmable && optimal && selection.status === 'PROPOSED' && (
        <ConfirmButton
          label={t('selection.confirm')}
          appearance="primary-action-button"
          title={t('selection.confirmTitle', { count })}
          confirmLabel={t('selection.confirmAction')}
          messages={{ CONFLICT: t('selection.errors.CONFLICT'), INVALID_TRANSITION: t('selection.errors.INVALID_TRANSITION') }}
          onConfirm={async () => {
            await confirmSelection({ variables: { id: selection.id } });
            announce(<Translated>{(tr) => tr('selection.confirmed', { count })}</Translated>);
          }}
        >
          <Paragraph>{t('selection.confirmBody')}</Paragraph>
        </ConfirmButton>
      )}
    </section>
  );
}
