import { useMutation, useQuery } from '@apollo/client/react';
import { Heading, Paragraph } from '@rijkshuisstijl-community/components-react';
import { ReactNode, useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ActionButton } from '../../components/actions';
import { ConfirmButton } from '../../components/dialogs';
import { CheckboxGroupField, SelectField } from '../../components/fields';
import { Form, formText, StatusRegion, SubmitButton, useFormAction } from '../../components/form';
import { Translated } from '../../components/Translated';
import { ErrorMessages } from '../../components/feedback';
import { useFormat } from '../../format';
import { Project } from '../../graphql/operations';
import { Portrait, PortraitAction, PORTRAIT_VERSIONS, SET_PORTRAIT_TEAM, TEAM_CHOICES, TRANSITION_PORTRAIT } from '../../graphql/portraits';
import { isModerator } from '../project/ProjectLayout';

/** The api returns at most this many people per page; a project has about a hundred authors. */
const TEAM_CHOICES_SIZE = 100;

/** Editors set the team; the lead and co-authors must be authors, the editor an editor. */
function TeamForm({ project, portrait, onSaved }: { project: Project; portrait: Portrait; onSaved(): void }) {
  const { t } = useTranslation();
  const { data } = useQuery(TEAM_CHOICES, { variables: { projectId: project.id, first: TEAM_CHOICES_SIZE } });
  const [setTeam] = useMutation(SET_PORTRAIT_TEAM);
  const action = useFormAction(async (form) => {
    const id = (name: string): string | null => formText(form, name) || null;
    await setTeam({
      variables: {
        portraitId: portrait.id,
        team: { leadAuthorId: id('leadAuthorId'), editorId: id('editorId'), coAuthorIds: form.getAll('coAuthorIds').filter((v): v is string => typeof v === 'string') },
      },
    });
    onSaved();
  });
  if (!data) return null;
  const authors = data.authors.nodes.map((n) => n.user);
  const editors = data.editors.nodes.map((n) => n.user);
  const none = { value: '', label: t('portraits.noOne') };
  const truncated = data.authors.pageInfo.hasNextPage || data.editors.pageInfo.hasNextPage;

  return (
    // Keyed by the team, so the fields show the saved team after any change.
    <Form action={action} key={JSON.stringify([portrait.leadAuthor, portrait.coAuthors, portrait.editor])}>
      <Paragraph>{t('portraits.teamIntro')}</Paragraph>
      {truncated && <Paragraph>{t('portraits.tooManyPeople', { count: TEAM_CHOICES_SIZE })}</Paragraph>}
      <SelectField
        name="leadAuthorId"
        label={t('portraits.leadAuthor')}
        defaultValue={portrait.leadAuthor?.id ?? ''}
        options={[none, ...authors.map((a) => ({ value: a.id, label: a.displayName }))]}
      />
      <CheckboxGroupField
        name="coAuthorIds"
        legend={t('portraits.coAuthors')}
        options={authors.map((a) => ({ value: a.id, label: a.displayName }))}
        defaultValues={portrait.coAuthors.map((c) => c.id)}
      />
      <SelectField
        name="editorId"
        label={t('portraits.editor')}
        defaultValue={portrait.editor?.id ?? ''}
        options={[none, ...editors.map((e) => ({ value: e.id, label: e.displayName }))]}
      />
      <SubmitButton>{t('portraits.saveTeam')}</SubmitButton>
    </Form>
  );
}

/** The workflow steps this person may take now; making a portrait final asks first. */
function WorkflowActions({ portrait, onDone }: { portrait: Portrait; onDone(next: Portrait): void }) {
  const { t } = useTranslation();
  const format = useFormat();
  // Submitting and approving make a version; the history shows it at once.
  const [transition] = useMutation(TRANSITION_PORTRAIT, { refetchQueries: [PORTRAIT_VERSIONS] });
  const messages = (action: PortraitAction): ErrorMessages => ({
    INVALID_TRANSITION: t('portraits.errors.INVALID_TRANSITION'),
    // The api says the stored count and the limits it checked.
    WORD_LIMIT: (details) =>
      t(action === 'FINALIZE' ? 'portraits.errors.WORD_LIMIT_FINALIZE' : 'portraits.errors.WORD_LIMIT_SUBMIT', {
        words: format.number(Number(details['wordCount'])), min: format.number(Number(details['wordLimitMin'])), max: format.number(Number(details['wordLimitMax'])),
      }),
  });
  const take = async (action: PortraitAction): Promise<void> => {
    const { data } = await transition({ variables: { portraitId: portrait.id, action } });
    if (data) onDone(data.transitionPortrait);
  };
  if (portrait.myActions.length === 0) return <Paragraph>{t('portraits.noActions')}</Paragraph>;
  return (
    <div className="quire-actions">
      {portrait.myActions.map((action) =>
        action === 'FINALIZE' ? (
          <ConfirmButton
            key={action}
            label={t(`portraits.actions.${action}`)}
            title={t('portraits.finalizeTitle')}
            confirmLabel={t(`portraits.actions.${action}`)}
            onConfirm={() => take(action)}
            messages={messages(action)}
          >
            <Paragraph>{t('portraits.finalizeBody')}</Paragraph>
          </ConfirmButton>
        ) : (
          <ActionButton key={action} onAction={() => take(action)} messages={messages(action)}>
            {t(`portraits.actions.${action}`)}
          </ActionButton>
        ),
      )}
    </div>
  );
}

/** The workflow steps this person may take on the portrait now, and the word limits submitting and making final keep. */
export function WorkflowSection({ project, portrait }: { project: Project; portrait: Portrait }) {
  const { t } = useTranslation();
  const format = useFormat();
  const limited = portrait.myActions.some((action) => action === 'SUBMIT' || action === 'FINALIZE');
  const headingId = useId();
  const [notice, setNotice] = useState<ReactNode>(null);
  return (
    <section aria-labelledby={headingId}>
      <Heading level={2} id={headingId}>
        {t('portraits.workflow')}
      </Heading>
      <StatusRegion message={notice} />
      {limited && <Paragraph>{t('portraits.wordLimitRule', { min: format.number(project.wordLimitMin), max: format.number(project.wordLimitMax) })}</Paragraph>}
      <WorkflowActions
        portrait={portrait}
        onDone={(next) => setNotice(<Translated>{(tr) => tr('portraits.transitioned', { status: tr(`portraits.statuses.${next.status}`) })}</Translated>)}
      />
    </section>
  );
}

/** For editors: who writes the portrait and who edits it. */
export function TeamSection({ project, portrait }: { project: Project; portrait: Portrait }) {
  const { t } = useTranslation();
  const headingId = useId();
  const [notice, setNotice] = useState<ReactNode>(null);
  if (!isModerator(project)) return null;
  return (
    <section aria-labelledby={headingId}>
      <Heading level={2} id={headingId}>
        {t('portraits.team')}
      </Heading>
      <StatusRegion message={notice} />
      <TeamForm project={project} portrait={portrait} onSaved={() => setNotice(<Translated>{(tr) => tr('portraits.teamSaved')}</Translated>)} />
    </section>
  );
}
