import { useMutation } from '@apollo/client/react';
import { Paragraph } from '@rijkshuisstijl-community/components-react';
import { useTranslation } from 'react-i18next';
import { Form, formText, StatusRegion, SubmitButton, useFormAction } from '../components/form';
import { TextField } from '../components/fields';
import { Page } from '../components/Page';
import { RouterLink } from '../components/RouterLink';
import { REQUEST_PASSWORD_RESET } from '../graphql/operations';

export function ForgotPasswordPage() {
  const { t } = useTranslation();
  const [requestReset] = useMutation(REQUEST_PASSWORD_RESET);
  const action = useFormAction(async (data) => {
    const email = formText(data, 'email');
    await requestReset({ variables: { email } });
    return email;
  });

  return (
    <Page title={t('forgotPassword.title')}>
      <Paragraph>{t('forgotPassword.intro')}</Paragraph>
      <Form action={action}>
        <TextField name="email" type="email" label={t('fields.email')} autoComplete="email" required />
        <SubmitButton>{t('forgotPassword.submit')}</SubmitButton>
      </Form>
      <StatusRegion message={action.result && t('forgotPassword.sent', { email: action.result })} />
      <Paragraph>
        <RouterLink to="/sign-in">{t('forgotPassword.backToSignIn')}</RouterLink>
      </Paragraph>
    </Page>
  );
}
