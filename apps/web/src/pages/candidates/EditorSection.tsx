import { useMutation, useQuery } from '@apollo/client/react';
import { Heading, Paragraph } from '@rijkshuisstijl-community/components-react';
import { ReactNode, useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import { AboutWhom } from '../../components/AboutWhom';
import { ActionButton } from '../../components/actions';
import { ConfirmButton, Disclosure } from '../../components/dialogs';
import { TextField } from '../../components/fields';
import { Form, SubmitButton, useFormAction } from '../../components/form';
import { noticeState } from '../../components/notice';
import { RouterLink } from '../../components/RouterLink';
import { useDebouncedValue } from '../../components/useDebouncedValue';
import { Translated } from '../../components/Translated';
import { useFormat, yearSpan } from '../../format';
import {
  Candidate, CANDIDATE, CandidateProfile, CANDIDATES, CandidateStatus, MERGE_CANDIDATES, SET_CANDIDATE_STATUS, SIMILAR_CANDIDATES, UNDO_MERGE, UPDATE_CANDIDATE,
} from '../../graphql/nominations';
import { Project } from '../../graphql/operations';
import { paths } from '../../paths';
import { CandidateFields, candidateDetailsFrom } from './CandidateFields';

type Announce = (notice: ReactNode) => void;

/** The shortlisting step editors take here; the final selection comes later, from the votes. */
const SHORTLIST_STEP: Partial<Record<CandidateStatus, { to: CandidateStatus; label: 'editor.shortlist' | 'editor.unshortlist' }>> = {
  NOMINATED: { to: 'SHORTLISTED', label: 'editor.shortlist' },
  SHORTLISTED: { to: 'NOMINATED', label: 'editor.unshortlist' },
};

function StatusTools({ candidate, announce }: { candidate: CandidateProfile; announce: Announce }) {
  const { t } = useTranslation();
  const [setStatus] = useMutation(SET_CANDIDATE_STATUS);
  const step = SHORTLIST_STEP[candidate.status];
  return (
    <div className="quire-actions">
      <Paragraph>{t('editor.status', { status: t(`candidateStatuses.${candidate.status}`) })}</Paragraph>
      {step && (
        <ActionButton
          onAction={async () => {
            await setStatus({ variables: { id: candidate.id, status: step.to } });
            announce(<Translated>{(tr) => tr('editor.statusChanged', { status: tr(`candidateStatuses.${step.to}`) })}</Translated>);
          }}
        >
          {t(step.label)}
        </ActionButton>
      )}
    </div>
  );
}

function EditForm({ candidate, onSaved }: { candidate: CandidateProfile; onSaved(): void }) {
  const { t } = useTranslation();
  const [update] = useMutation(UPDATE_CANDIDATE);
  const action = useFormAction(async (data) => {
    await update({ variables: { id: candidate.id, input: candidateDetailsFrom(data) } });
    onSaved();
    return true;
  });
  return (
    <Form action={action}>
      <CandidateFields defaults={candidate} />
      <SubmitButton>{t('editor.save')}</SubmitButton>
    </Form>
  );
}

/** How long typing may pause before the search for a merge target runs. */
const TYPING_PAUSE_MS = 250;

/**
 * Candidates this one may be a duplicate of: those like its name and years at first, or those
 * matching what the editor searches for.
 */
function useMergeTargets(project: Project, candidate: CandidateProfile, search: string): Candidate[] | undefined {
  const text = useDebouncedValue(search.trim(), TYPING_PAUSE_MS);
  const similar = useQuery(SIMILAR_CANDIDATES, {
    variables: { projectId: project.id, name: candidate.name, birthYear: candidate.birthYear, deathYear: candidate.deathYear },
    skip: text !== '',
  });
  const found = useQuery(CANDIDATES, { variables: { projectId: project.id, filter: { text }, sort: 'NAME', first: 10 }, skip: text === '' });
  const targets = text ? found.data?.candidates.nodes.map((n) => n.candidate) : similar.data?.similarCandidates.map((s) => s.candidate);
  return targets?.filter((c) => c.id !== candidate.id && !c.mergedIntoId);
}

function MergeTools({ project, candidate }: { project: Project; candidate: CandidateProfile }) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const headingId = useId();
  const [search, setSearch] = useState('');
  const [merge] = useMutation(MERGE_CANDIDATES);
  const targets = useMergeTargets(project, candidate, search);

  async function mergeInto(target: Candidate): Promise<void> {
    await merge({ variables: { sourceId: candidate.id, targetId: target.id } });
    await navigate(paths.candidate(project.slug, target.id), noticeState(t('merge.done', { source: candidate.name, target: target.name })));
  }

  return (
    <section aria-labelledby={headingId}>
      <Heading level={3} id={headingId}>
        {t('merge.title')}
      </Heading>
      <Paragraph>{t('merge.intro', { name: candidate.name })}</Paragraph>
      <TextField name="mergeSearch" type="search" label={t('merge.search')} description={t('merge.searchHint')} value={search} onChange={(e) => setSearch(e.target.value)} />
      <Paragraph role="status">{targets && (search.trim() ? t('merge.found', { count: targets.length }) : t('merge.suggested', { count: targets.length }))}</Paragraph>
      {targets && targets.length > 0 && (
        <ul className="quire-cards">
          {targets.map((target) => {
            const life = yearSpan(target.birthYear, target.deathYear);
            return (
              <li key={target.id} className="quire-card">
                <Paragraph>
                  <RouterLink to={paths.candidate(project.slug, target.id)}>{target.name}</RouterLink>
                  {life && ` (${life})`}
                  {target.organisation && ` · ${target.organisation}`}
                </Paragraph>
                <ConfirmButton
                  label={
                    <>
                      {t('merge.into')}
                      <AboutWhom name={target.name} />
                    </>
                  }
                  title={t('merge.confirmTitle', { source: candidate.name, target: target.name })}
                  confirmLabel={t('merge.confirm')}
                  onConfirm={() => mergeInto(target)}
                  messages={{ CONFLICT: t('merge.conflict') }}
                >
                  <Paragraph>{t('merge.confirmExplanation', { source: candidate.name, target: target.name })}</Paragraph>
                </ConfirmButton>
              </li>
            );
          })}
        </ul>
      )}
    </section>
  );
}

/** Duplicates merged into this candidate, each with a way back. */
function MergedHere({ project, candidate, announce }: { project: Project; candidate: CandidateProfile; announce: Announce }) {
  const { t } = useTranslation();
  const format = useFormat();
  const headingId = useId();
  const [undo] = useMutation(UNDO_MERGE);
  const merges = candidate.merges.filter((m) => m.targetId === candidate.id);
  if (!merges.length) return null;

  return (
    <section aria-labelledby={headingId}>
      <Heading level={3} id={headingId}>
        {t('merge.mergedHere')}
      </Heading>
      <ul className="quire-cards">
        {merges.map((merge) => (
          <li key={merge.id} className="quire-card">
            <Paragraph>{t('merge.mergedOn', { name: merge.source.name, date: format.dateTime(merge.createdAt) })}</Paragraph>
            <ActionButton
              messages={{ CONFLICT: t('merge.undoConflict') }}
              onAction={async () => {
                await undo({ variables: { mergeId: merge.id }, refetchQueries: [CANDIDATE], awaitRefetchQueries: true });
                announce(
                  <Paragraph>
                    <Translated>{(tr) => tr('merge.undone')}</Translated> <RouterLink to={paths.candidate(project.slug, merge.sourceId)}>{merge.source.name}</RouterLink>
                  </Paragraph>,
                );
              }}
            >
              {t('merge.undo')}
              <AboutWhom name={merge.source.name} />
            </ActionButton>
          </li>
        ))}
      </ul>
    </section>
  );
}

/** What editors do with a candidate: status, corrections, merging duplicates and undoing merges. */
export function EditorSection({ project, candidate, announce }: { project: Project; candidate: CandidateProfile; announce: Announce }) {
  const { t } = useTranslation();
  const headingId = useId();
  return (
    <section aria-labelledby={headingId}>
      <Heading level={2} id={headingId}>
        {t('editor.title')}
      </Heading>
      <StatusTools candidate={candidate} announce={announce} />
      <Disclosure label={t('editor.edit')}>
        {(close) => (
          <EditForm
            candidate={candidate}
            onSaved={() => {
              close();
              announce(<Translated>{(tr) => tr('editor.saved')}</Translated>);
            }}
          />
        )}
      </Disclosure>
      <MergedHere project={project} candidate={candidate} announce={announce} />
      <MergeTools project={project} candidate={candidate} />
    </section>
  );
}
