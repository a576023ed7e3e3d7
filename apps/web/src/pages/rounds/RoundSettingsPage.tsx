import { useMutation, useQuery } from '@apollo/client/react';
import { Fieldset, Heading, Paragraph } from '@rijkshuisstijl-community/components-react';
import type { TFunction } from 'i18next';
import { ReactNode, useId } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate, useParams } from 'react-router';
import { ConfirmButton } from '../../components/dialogs';
import { Loading, QueryProblem } from '../../components/feedback';
import { CheckboxField, FileField, TextAreaField, TextField } from '../../components/fields';
import { Form, formText, formWholeNumber, StatusRegion, SubmitButton, useFormAction } from '../../components/form';
import { noticeState, usePageNotice } from '../../components/notice';
import { Page } from '../../components/Page';
import { Translated } from '../../components/Translated';
import { useFormat } from '../../format';
import {
  ADVANCE_ROUND, CANDIDATES, CREATE_ROUND, IMPORT_NOMINATIONS, Round, ROUND, ROUND_DEFAULTS, ROUND_PHASES, RoundPhase, ROUNDS, RoundSettings, UPDATE_ROUND,
} from '../../graphql/nominations';
import { Project } from '../../graphql/operations';
import { paths } from '../../paths';
import { isModerator, projectCrumb, useProject } from '../project/ProjectLayout';
import { RulesMatrix, rulesFrom } from './RulesMatrix';
import { SCHEDULE_MOMENTS, scheduledStart } from './schedule';

type Limit = 'maxNominationsPerMember' | 'motivationMinLength' | 'motivationMaxLength' | 'votesPerMember' | 'minVotesPerMember';
const LIMITS: readonly Limit[] = ['maxNominationsPerMember', 'motivationMinLength', 'motivationMaxLength', 'votesPerMember', 'minVotesPerMember'];

/** An ISO moment as a datetime-local field shows it: in the person's own time zone. */
function localDateTime(iso: string | null): string {
  if (!iso) return '';
  const d = new Date(iso);
  const pad = (n: number): string => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

/** A datetime-local field's value (local time) as an ISO moment; null when the field is empty. */
function isoMoment(local: string): string | null {
  return local ? new Date(local).toISOString() : null;
}

function settingsFrom(data: FormData): Partial<RoundSettings> {
  const settings: Partial<RoundSettings> = {
    title: formText(data, 'title'),
    description: formText(data, 'description'),
    premoderation: data.has('premoderation'),
    rules: rulesFrom(data),
  };
  for (const moment of SCHEDULE_MOMENTS) settings[moment] = isoMoment(formText(data, moment));
  // An emptied limit keeps its value.
  for (const limit of LIMITS) settings[limit] = formWholeNumber(data, limit);
  return settings;
}

function RoundSettingsForm({ defaults, submitLabel, onSave }: { defaults: RoundSettings; submitLabel: string; onSave(settings: Partial<RoundSettings>): Promise<unknown> }) {
  const { t } = useTranslation();
  const action = useFormAction(async (data) => {
    await onSave(settingsFrom(data));
    return true;
  });
  return (
    <>
      <Form action={action}>
        <TextField name="title" label={t('roundSettings.roundTitle')} defaultValue={defaults.title} required />
        <TextAreaField name="description" label={t('roundSettings.description')} defaultValue={defaults.description} rows={4} />
        <Fieldset legend={t('roundSettings.schedule')}>
          <Paragraph>{t('roundSettings.scheduleHint')}</Paragraph>
          {SCHEDULE_MOMENTS.map((moment) => (
            <TextField key={moment} name={moment} type="datetime-local" label={t(`round.${moment}`)} defaultValue={localDateTime(defaults[moment])} />
          ))}
        </Fieldset>
        <Fieldset legend={t('roundSettings.limits')}>
          {LIMITS.map((limit) => (
            <TextField key={limit} name={limit} type="number" inputMode="numeric" min={0} label={t(`roundSettings.${limit}`)} defaultValue={defaults[limit]} />
          ))}
          <CheckboxField name="premoderation" label={t('roundSettings.premoderation')} defaultChecked={defaults.premoderation} />
        </Fieldset>
        <RulesMatrix rules={defaults.rules} />
        <SubmitButton>{submitLabel}</SubmitButton>
      </Form>
      <StatusRegion message={action.result && t('roundSettings.saved')} />
    </>
  );
}

function nextPhase(phase: RoundPhase): RoundPhase | undefined {
  return ROUND_PHASES[ROUND_PHASES.indexOf(phase) + 1];
}

/** Moves the round one phase on now, whatever its schedule says. */
function AdvanceSection({ round, announce }: { round: Round; announce(notice: ReactNode): void }) {
  const { t } = useTranslation();
  const format = useFormat();
  const headingId = useId();
  const [advance] = useMutation(ADVANCE_ROUND, { refetchQueries: [ROUNDS] });
  const next = nextPhase(round.phase);
  const scheduled = next && scheduledStart(round, next);
  return (
    <section aria-labelledby={headingId}>
      <Heading level={2} id={headingId}>
        {t('roundSettings.phaseTitle')}
      </Heading>
      <Paragraph>{t('roundSettings.phaseNow', { phase: t(`phases.${round.phase}`) })}</Paragraph>
      {next ? (
        <ConfirmButton
          appearance="primary-action-button"
          label={t('roundSettings.advance', { phase: t(`phases.${next}`) })}
          title={t('roundSettings.advanceTitle', { phase: t(`phases.${next}`) })}
          confirmLabel={t('roundSettings.advanceConfirm', { phase: t(`phases.${next}`) })}
          onConfirm={async () => {
            await advance({ variables: { id: round.id, to: next } });
            announce(<Translated>{(tr) => tr('roundSettings.advanced', { phase: tr(`phases.${next}`) })}</Translated>);
          }}
        >
          <Paragraph>{t('roundSettings.advanceExplanation')}</Paragraph>
          {scheduled && <Paragraph>{t('roundSettings.advanceScheduled', { date: format.dateTime(scheduled) })}</Paragraph>}
        </ConfirmButton>
      ) : (
        <Paragraph>{t('roundSettings.closedForGood')}</Paragraph>
      )}
    </section>
  );
}

/** "row 3: motivation" from the api, in words: which row of the file, which column. */
function importProblemLabel(t: TFunction) {
  return (field: string): string | undefined => {
    const row = /^row (\d+): (.+)$/.exec(field);
    return row ? t('import.row', { row: row[1], column: row[2] }) : undefined;
  };
}

/** Brings in nominations gathered elsewhere, all or nothing, naming every bad row. */
function ImportSection({ round }: { round: Round }) {
  const { t } = useTranslation();
  const format = useFormat();
  const headingId = useId();
  const [importNominations] = useMutation(IMPORT_NOMINATIONS, { refetchQueries: [CANDIDATES] });
  const action = useFormAction(
    async (data) => {
      const file = data.get('csv');
      const csv = file instanceof File ? await file.text() : '';
      return (await importNominations({ variables: { roundId: round.id, csv } })).data?.importNominations;
    },
    { resetOnSuccess: true },
  );
  const imported = action.result;
  return (
    <section aria-labelledby={headingId}>
      <Heading level={2} id={headingId}>
        {t('import.title')}
      </Heading>
      <Paragraph>{t('import.intro')}</Paragraph>
      <Form action={action} fieldLabel={importProblemLabel(t)}>
        <FileField name="csv" accept=".csv,text/csv" label={t('import.file')} description={t('import.columns')} />
        <SubmitButton>{t('import.submit')}</SubmitButton>
      </Form>
      <StatusRegion
        message={imported && t('import.done', { count: imported.imported, imported: format.number(imported.imported), created: format.number(imported.candidatesCreated) })}
      />
    </section>
  );
}

function NewRound({ project }: { project: Project }) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const [createRound] = useMutation(CREATE_ROUND, { refetchQueries: [ROUNDS] });
  async function create(settings: Partial<RoundSettings>): Promise<void> {
    const round = (await createRound({ variables: { projectId: project.id, input: settings } })).data?.createRound;
    if (round) await navigate(paths.round(project.slug, round.id), noticeState(t('roundSettings.created')));
  }
  // The api's defaults, so what the editor sees is what a round they leave alone gets.
  const { data, error } = useQuery(ROUND_DEFAULTS);
  return (
    <Page title={t('rounds.new')} trail={[projectCrumb(project)]}>
      {error ? (
        <QueryProblem error={error} />
      ) : !data ? (
        <Loading />
      ) : (
        <RoundSettingsForm defaults={{ ...data.roundDefaults, title: '' }} submitLabel={t('roundSettings.create')} onSave={create} />
      )}
    </Page>
  );
}

function EditRound({ project, roundId }: { project: Project; roundId: string }) {
  const { t } = useTranslation();
  const [notice, announce] = usePageNotice();
  const { data, error } = useQuery(ROUND, { variables: { id: roundId } });
  const [updateRound] = useMutation(UPDATE_ROUND, { refetchQueries: [ROUNDS] });
  const round = data?.round;
  const trail = [projectCrumb(project), ...(round ? [{ to: paths.round(project.slug, round.id), label: round.title }] : [])];
  if (error) {
    return (
      <Page title={t('roundSettings.title')} trail={trail}>
        <QueryProblem error={error} />
      </Page>
    );
  }
  if (!round) return <Loading />;
  return (
    <Page title={t('roundSettings.titleOf', { round: round.title })} trail={trail}>
      <StatusRegion message={notice} />
      <AdvanceSection round={round} announce={announce} />
      {round.phase === 'CLOSED' ? (
        <Paragraph>{t('roundSettings.closedNoChanges')}</Paragraph>
      ) : (
        <>
          <section aria-label={t('roundSettings.title')}>
            {/* Keyed by phase: after a phase change the form shows what the round is now. */}
            <RoundSettingsForm key={round.phase} defaults={round} submitLabel={t('roundSettings.save')} onSave={(input) => updateRound({ variables: { id: round.id, input } })} />
          </section>
          <ImportSection round={round} />
        </>
      )}
    </Page>
  );
}

/** Editors start a round (rounds/new) or change one (rounds/:roundId/settings). */
export function RoundSettingsPage() {
  const { t } = useTranslation();
  const project = useProject();
  const { roundId } = useParams();
  if (!isModerator(project)) {
    return (
      <Page title={t('roundSettings.title')} trail={[projectCrumb(project)]}>
        <Paragraph>{t('roundSettings.onlyEditors')}</Paragraph>
      </Page>
    );
  }
  return roundId ? <EditRound project={project} roundId={roundId} /> : <NewRound project={project} />;
}
