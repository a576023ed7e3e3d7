import { useMutation } from '@apollo/client/react';
import { Heading } from '@rijkshuisstijl-community/components-react';
import { useId } from 'react';
import { useTranslation } from 'react-i18next';
import { CheckboxField, LocaleField, TextAreaField, TextField } from '../../components/fields';
import { Form, formLocale, formText, formWholeNumber, StatusRegion, SubmitButton, useFormAction } from '../../components/form';
import { AUDIT_EVENTS, Project, ProjectSettings, UPDATE_PROJECT } from '../../graphql/operations';

// An emptied number field leaves its setting as it is (formWholeNumber gives undefined).
function settingsFrom(data: FormData): Partial<ProjectSettings> {
  return {
    title: formText(data, 'title'),
    description: formText(data, 'description'),
    language: formLocale(data, 'language'),
    targetPortraitCount: formWholeNumber(data, 'targetPortraitCount'),
    wordLimitMin: formWholeNumber(data, 'wordLimitMin'),
    wordLimitMax: formWholeNumber(data, 'wordLimitMax'),
    selfSignUp: data.has('selfSignUp'),
    allowedEmailDomains: formText(data, 'allowedEmailDomains').split(/[\s,;]+/).filter(Boolean),
    reportThreshold: formWholeNumber(data, 'reportThreshold'),
  };
}

/** The project's settings (admins). */
export function SettingsSection({ project }: { project: Project }) {
  const { t } = useTranslation();
  const headingId = useId();
  const [updateProject] = useMutation(UPDATE_PROJECT);
  const action = useFormAction(async (data) => {
    // The audit log below gains a line for this change.
    await updateProject({ variables: { id: project.id, input: settingsFrom(data) }, refetchQueries: [AUDIT_EVENTS] });
    return true;
  });

  return (
    <section aria-labelledby={headingId}>
      <Heading level={2} id={headingId}>
        {t('settings.title')}
      </Heading>
      <Form action={action}>
        <TextField name="title" label={t('settings.bookTitle')} defaultValue={project.title} required />
        <TextAreaField name="description" label={t('settings.description')} defaultValue={project.description} rows={5} />
        <LocaleField name="language" label={t('project.language')} defaultValue={project.language} />
        <TextField name="targetPortraitCount" type="number" inputMode="numeric" min={1} label={t('settings.targetPortraitCount')} defaultValue={project.targetPortraitCount} />
        <TextField name="wordLimitMin" type="number" inputMode="numeric" min={0} label={t('settings.wordLimitMin')} defaultValue={project.wordLimitMin} />
        <TextField name="wordLimitMax" type="number" inputMode="numeric" min={0} label={t('settings.wordLimitMax')} defaultValue={project.wordLimitMax} />
        <CheckboxField name="selfSignUp" label={t('settings.selfSignUp')} defaultChecked={project.selfSignUp} />
        <TextAreaField
          name="allowedEmailDomains"
          label={t('settings.allowedEmailDomains')}
          description={t('settings.allowedEmailDomainsHint')}
          defaultValue={project.allowedEmailDomains.join('\n')}
          rows={3}
        />
        <TextField
          name="reportThreshold"
          type="number"
          inputMode="numeric"
          min={1}
          label={t('settings.reportThreshold')}
          description={t('settings.reportThresholdHint')}
          defaultValue={project.reportThreshold}
        />
        <SubmitButton>{t('settings.submit')}</SubmitButton>
      </Form>
      <StatusRegion message={action.result && t('settings.saved')} />
    </section>
  );
}
