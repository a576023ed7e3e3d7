import { useMutation, useQuery } from '@apollo/client/react';
import { Button, Heading, Paragraph, TableBody, TableCell, TableHeader, TableHeaderCell, TableRow } from '@rijkshuisstijl-community/components-react';
import { useEffect, useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Loading, QueryProblem } from '../../components/feedback';
import { TextField } from '../../components/fields';
import { Form, StatusRegion, SubmitButton, useFormAction } from '../../components/form';
import { usePageNotice } from '../../components/notice';
import { TableRegion } from '../../components/TableRegion';
import { Translated } from '../../components/Translated';
import { useFormat } from '../../format';
import { Round } from '../../graphql/nominations';
import { Project } from '../../graphql/operations';
import { PROPOSE_SELECTION, ROUND_RESULTS, RoundResults, SELECTION, SELECTION_PLACES, SelectionPlaces, SELECTIONS, SelectionSummary } from '../../graphql/voting';
import { isModerator } from '../project/ProjectLayout';
import { RoundScreen } from '../rounds/RoundScreen';
import { CandidateChoices } from './CandidateChoices';
import { draftFrom, SelectionDraft, selectionInput, useQuotaName } from './draft';
import { ProposalView } from './ProposalView';
import { QuotasFieldset } from './QuotasFieldset';

/** The draft starts from the newest proposal once it is loaded (or from nothing when there is none). */
function useSelectionDraft(newestId: string | undefined, listLoaded: boolean, placesLeft: number | undefined, candidateCount: number | undefined): [SelectionDraft | null, (draft: SelectionDraft) => void] {
  const quotaName = useQuotaName();
  const newest = useQuery(SELECTION, { variables: { id: newestId ?? '' }, skip: !newestId });
  const [draft, setDraft] = useState<SelectionDraft | null>(null);
  const start = newestId ? newest.data?.selection : listLoaded ? null : undefined;
  useEffect(() => {
    if (draft === null && start !== undefined && placesLeft !== undefined && candidateCount !== undefined) setDraft(draftFrom(start, placesLeft, quotaName, candidateCount));
  }, [draft, start, placesLeft, quotaName, candidateCount]);
  return [draft, setDraft];
}

interface SelectionFormProps {
  round: Round;
  results: RoundResults;
  draft: SelectionDraft;
  onChange(draft: SelectionDraft): void;
  onProposed(selectionId: string): void;
}

/** What the editors ask the assistant: the size, quotas, pinned and excluded candidates, the seed. */
function SelectionForm({ round, results, draft, onChange, onProposed }: SelectionFormProps) {
  const { t } = useTranslation();
  const quotaName = useQuotaName();
  const candidatesHeadingId = useId();
  const [propose] = useMutation(PROPOSE_SELECTION, { refetchQueries: [SELECTIONS, SELECTION_PLACES] });
  const action = useFormAction(async () => {
    const { data } = await propose({ variables: { roundId: round.id, input: selectionInput(draft, quotaName) } });
    if (data) onProposed(data.proposeSelection.id);
  });
  const regions = [...new Set(results.entries.map((e) => e.candidate.region).filter(Boolean))].sort((a, b) => a.localeCompare(b));
  const fieldLabel = (field: string): string | undefined =>
    field === 'pinned' ? t('selection.pinned') : field === 'excluded' ? t('selection.excluded') : field === 'quotas' ? t('selection.quotas') : undefined;

  return (
    <Form action={action} messages={{ NOT_ALLOWED_IN_PHASE: t('selection.errors.NOT_ALLOWED_IN_PHASE'), CONFLICT: t('selection.errors.CONFLICT') }} fieldLabel={fieldLabel} className="quire-wide">
      <TextField name="size" type="number" inputMode="numeric" label={t('selection.size')} value={draft.size} onChange={(e) => onChange({ ...draft, size: e.target.value })} />
      <QuotasFieldset quotas={draft.quotas} regions={regions} onChange={(quotas) => onChange({ ...draft, quotas })} />
      <Heading level={3} id={candidatesHeadingId}>
        {t('selection.candidates')}
      </Heading>
      <CandidateChoices results={results} pinned={draft.pinned} excluded={draft.excluded} onChange={(choices) => onChange({ ...draft, ...choices })} />
      <TextField name="seed" label={t('selection.seed')} description={t('selection.seedHint')} value={draft.seed} onChange={(e) => onChange({ ...draft, seed: e.target.value })} />
      <SubmitButton>{t('selection.propose')}</SubmitButton>
    </Form>
  );
}

/** Every proposal of the round, to look at again; the one on screen is pressed. */
function ProposalHistory({ selections, shownId, onShow }: { selections: SelectionSummary[]; shownId: string; onShow(id: string): void }) {
  const { t } = useTranslation();
  const format = useFormat();
  const headingId = useId();
  return (
    <section aria-labelledby={headingId}>
      <Heading level={2} id={headingId}>
        {t('selection.history')}
      </Heading>
      <TableRegion caption={t('selection.historyCaption')}>
        <TableHeader>
          <TableRow>
            <TableHeaderCell scope="col">{t('selection.when')}</TableHeaderCell>
            <TableHeaderCell scope="col">{t('selection.status')}</TableHeaderCell>
            <TableHeaderCell scope="col">{t('selection.outcome')}</TableHeaderCell>
            <TableHeaderCell scope="col">{t('leaderboard.votes')}</TableHeaderCell>
            <TableHeaderCell scope="col">{t('selection.size')}</TableHeaderCell>
            <TableHeaderCell scope="col">
              <span className="quire-visually-hidden">{t('selection.show')}</span>
            </TableHeaderCell>
          </TableRow>
        </TableHeader>
        <TableBody>
          {selections.map((s, index) => (
            <TableRow key={s.id}>
              <TableCell>{format.dateTime(s.createdAt)}</TableCell>
              <TableCell>{t(`selection.statuses.${s.status}`)}</TableCell>
              <TableCell>{t(`selection.outcomes.${s.outcome}`)}</TableCell>
              <TableCell>{s.totalVotes === null ? '–' : format.number(s.totalVotes)}</TableCell>
              <TableCell>{format.number(s.size)}</TableCell>
              <TableCell>
                <Button appearance="subtle-button" pressed={s.id === shownId} onClick={() => onShow(s.id)}>
                  {t('selection.show')}
                  <span className="quire-visually-hidden"> ({t('selection.proposalNumber', { number: format.number(selections.length - index) })}, {format.dateTime(s.createdAt)})</span>
                </Button>
              </TableCell>
            </TableRow>
          ))}
        </TableBody>
      </TableRegion>
    </section>
  );
}

/** How many of the book's N places this round's selection may fill, and that other rounds' selections are not offered again. */
function PlacesNotice({ places }: { places: SelectionPlaces }) {
  const { t } = useTranslation();
  const format = useFormat();
  const portraits = format.number(places.portraits);
  if (places.left === 0) return <Paragraph>{t('selection.noPlacesLeft', { portraits })}</Paragraph>;
  return (
    <Paragraph>
      {t('selection.placesLeft', { count: places.left, formatted: format.number(places.left), portraits })}
      {places.selectedElsewhere > 0 && <> {t('selection.placesTaken', { count: places.selectedElsewhere, formatted: format.number(places.selectedElsewhere) })}</>}
    </Paragraph>
  );
}

/** The round's results without the candidates other rounds' selections took: what this selection may offer. */
function offeredResults(results: RoundResults | null | undefined, places: SelectionPlaces | undefined): RoundResults | undefined {
  if (!results || !places) return undefined;
  const taken = new Set(places.selectedElsewhereIds);
  return { ...results, entries: results.entries.filter((e) => !taken.has(e.candidate.id)) };
}

function SelectionWorkbench({ project, round }: { project: Project; round: Round }) {
  const { t } = useTranslation();
  const format = useFormat();
  const editor = isModerator(project);
  const [notice, announce] = usePageNotice();
  const [chosenId, setChosenId] = useState<string | null>(null);
  const results = useQuery(ROUND_RESULTS, { variables: { roundId: round.id } });
  // Another editor may have proposed or confirmed meanwhile; show the cache, then what is current.
  const list = useQuery(SELECTIONS, { variables: { roundId: round.id }, fetchPolicy: 'cache-and-network' });
  // Other rounds' selections may have filled places meanwhile.
  const placesQuery = useQuery(SELECTION_PLACES, { variables: { id: round.id }, fetchPolicy: 'cache-and-network' });
  const places = placesQuery.data?.round.selectionPlaces;
  const selections = list.data?.selections ?? [];
  const offered = offeredResults(results.data?.roundResults, places);
  const [draft, setDraft] = useSelectionDraft(selections[0]?.id, !!list.data, places?.left, offered?.entries.length);

  const error = results.error ?? list.error ?? placesQuery.error;
  if (error) return <QueryProblem error={error} />;
  if (!results.data || !list.data || !places) return <Loading />;
  if (!results.data.roundResults || !offered) return <Paragraph>{t('results.notYet')}</Paragraph>;

  const confirmed = selections.find((s) => s.status === 'CONFIRMED');
  // A selection may be made while no selection of this round is confirmed and the book has places left.
  const open = !confirmed && places.left > 0;
  const shownId = chosenId ?? confirmed?.id ?? selections[0]?.id;
  const reuseSeed = (seed: string): void => {
    if (draft) setDraft({ ...draft, seed });
    announce(<Translated>{(tr) => tr('selection.seedReused', { seed })}</Translated>);
  };

  return (
    <>
      <StatusRegion message={notice} />
      <Paragraph>{editor ? t('selection.intro') : t('selection.readOnly')}</Paragraph>
      {confirmed?.confirmedAt && <Paragraph>{t('selection.confirmedAt', { date: format.dateTime(confirmed.confirmedAt) })}</Paragraph>}
      {!confirmed && <PlacesNotice places={places} />}
      {editor && open && (draft ? (
        <SelectionForm
          round={round}
          results={offered}
          draft={draft}
          onChange={setDraft}
          onProposed={(id) => {
            setChosenId(id);
            announce(<Translated>{(tr) => tr('selection.proposed')}</Translated>);
          }}
        />
      ) : (
        <Loading />
      ))}
      {shownId ? (
        <ProposalView
          project={project}
          selectionId={shownId}
          confirmable={editor && open}
          onReuseSeed={editor && open ? reuseSeed : undefined}
          announce={announce}
        />
      ) : (
        <Paragraph>{t('selection.none')}</Paragraph>
      )}
      {shownId && selections.length > 1 && <ProposalHistory selections={selections} shownId={shownId} onShow={setChosenId} />}
    </>
  );
}

/**
 * The final selection of N from a closed round: editors ask the balance assistant for proposals
 * and confirm one; everyone can follow the proposals.
 */
export function SelectionPage() {
  const { t } = useTranslation();
  return (
    <RoundScreen title={(round) => t('selection.pageTitle', { round: round.title })}>
      {(round, project) => (round.phase === 'CLOSED' ? <SelectionWorkbench project={project} round={round} /> : <Paragraph>{t('selection.notClosed')}</Paragraph>)}
    </RoundScreen>
  );
}
