import { useMutation } from '@apollo/client/react';
import { Paragraph } from '@rijkshuisstijl-community/components-react';
import { useTranslation } from 'react-i18next';
import { useNavigate, useParams } from 'react-router';
import { Form, formText, SubmitButton, useFormAction } from '../components/form';
import { TextField } from '../components/fields';
import { Page } from '../components/Page';
import { RouterLink } from '../components/RouterLink';
import { RESET_PASSWORD } from '../graphql/operations';
import { useSignedIn } from '../session/session';

export function ResetPasswordPage() {
  const { t } = useTranslation();
  const { token = '' } = useParams();
  const navigate = useNavigate();
  const [resetPassword] = useMutation(RESET_PASSWORD);
  const signedIn = useSignedIn();
  const action = useFormAction(async (data) => {
    const result = await resetPassword({ variables: { token, password: formText(data, 'password') } });
    if (!result.data) return;
    await signedIn(result.data.resetPassword.user);
    await navigate('/', { replace: true });
  });

  return (
    <Page title={t('resetPassword.title')}>
      <Form action={action}>
        <TextField
          name="password"
          type="password"
          label={t('fields.newPassword')}
          description={t('fields.passwordHint')}
          autoComplete="new-password"
          required
        />
        <SubmitButton>{t('resetPassword.submit')}</SubmitButton>
      </Form>
      {action.failure?.code === 'TOKEN_INVALID' && (
        <Paragraph>
          <RouterLink to="/forgot-password">{t('resetPassword.askNew')}</RouterLink>
        </Paragraph>
      )}
    </Page>
  );
}
