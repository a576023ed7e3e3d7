import { useMutation } from '@apollo/client/react';
import { Paragraph } from '@rijkshuisstijl-community/components-react';
import { useTranslation } from 'react-i18next';
import { useNavigate, useParams } from 'react-router';
import { Form, formLocale, formText, SubmitButton, useFormAction } from '../components/form';
import { LocaleField, TextField } from '../components/fields';
import { Page } from '../components/Page';
import { SIGN_UP } from '../graphql/operations';
import { currentLocale } from '../i18n';
import { useSignedIn } from '../session/session';

/** Self sign-up into a project for addresses in its allow-listed e-mail domains. */
export function SignUpPage() {
  const { t } = useTranslation();
  const { projectSlug = '' } = useParams();
  const navigate = useNavigate();
  const [signUp] = useMutation(SIGN_UP);
  const signedIn = useSignedIn();
  const action = useFormAction(async (data) => {
    const result = await signUp({
      variables: {
        input: {
          projectSlug,
          email: formText(data, 'email'),
          displayName: formText(data, 'displayName'),
          password: formText(data, 'password'),
          locale: formLocale(data, 'locale'),
        },
      },
    });
    if (!result.data) return;
    await signedIn(result.data.signUp.user);
    await navigate(`/p/${encodeURIComponent(projectSlug)}`, { replace: true });
  });

  return (
    <Page title={t('signUp.title', { project: projectSlug })}>
      <Paragraph>{t('signUp.intro')}</Paragraph>
      <Form action={action} messages={{ CONFLICT: t('signUp.CONFLICT') }}>
        <TextField name="email" type="email" label={t('fields.email')} autoComplete="email" required />
        <TextField name="displayName" label={t('fields.displayName')} description={t('fields.displayNameHint')} autoComplete="name" required />
        <TextField name="password" type="password" label={t('fields.password')} description={t('fields.passwordHint')} autoComplete="new-password" required />
        <LocaleField name="locale" label={t('fields.locale')} defaultValue={currentLocale()} />
        <SubmitButton>{t('signUp.submit')}</SubmitButton>
      </Form>
    </Page>
  );
}
