import { useMutation, useQuery } from '@apollo/client/react';
import { Alert, ButtonLink, Paragraph } from '@rijkshuisstijl-community/components-react';
import { useTranslation } from 'react-i18next';
import { Navigate, useSearchParams } from 'react-router';
import { Loading } from '../components/feedback';
import { TextField } from '../components/fields';
import { Form, formText, SubmitButton, useFormAction } from '../components/form';
import { Page } from '../components/Page';
import { safeReturnPath } from '../components/RequireSignIn';
import { RouterLink } from '../components/RouterLink';
import { AUTH_CONFIG, SIGN_IN } from '../graphql/operations';
import { en } from '../i18n/en';
import { useMe, useSignedIn } from '../session/session';

type OidcErrorCode = keyof typeof en.oidcErrors;

function isOidcErrorCode(code: string | null): code is OidcErrorCode {
  return code !== null && Object.hasOwn(en.oidcErrors, code);
}

function OrganisationSignIn({ returnTo }: { returnTo: string }) {
  const { t } = useTranslation();
  const { data } = useQuery(AUTH_CONFIG);
  if (!data?.authConfig.oidcEnabled) return null;
  const { oidcLabel } = data.authConfig;
  return (
    <div className="quire-stack">
      {/* A full page load: the organisation's login lives on another site. */}
      <ButtonLink appearance="primary-action-button" href={`/auth/oidc/start?returnTo=${encodeURIComponent(returnTo)}`}>
        {oidcLabel ? t('signIn.organisationNamed', { name: oidcLabel }) : t('signIn.organisation')}
      </ButtonLink>
      <Paragraph>{t('signIn.orElse')}</Paragraph>
    </div>
  );
}

export function SignInPage() {
  const { t } = useTranslation();
  const { me, loading } = useMe();
  const [params] = useSearchParams();
  const returnTo = safeReturnPath(params.get('next'));
  const oidcError = params.get('error');
  const [signIn] = useMutation(SIGN_IN);
  const signedIn = useSignedIn();
  const action = useFormAction(async (data) => {
    const result = await signIn({ variables: { input: { email: formText(data, 'email'), password: formText(data, 'password') } } });
    if (result.data) await signedIn(result.data.signIn.user);
  });

  if (loading) return <Loading />;
  // Signed in (just now, or already): on to where the person was going, replacing this screen
  // in the history so Back does not return to a sign-in form.
  if (me) return <Navigate to={returnTo} replace />;

  return (
    <Page title={t('signIn.title')}>
      {isOidcErrorCode(oidcError) && (
        <Alert type="error">
          <Paragraph>{t(`oidcErrors.${oidcError}`)}</Paragraph>
        </Alert>
      )}
      <Paragraph>{t('signIn.intro')}</Paragraph>
      <OrganisationSignIn returnTo={returnTo} />
      <Form action={action}>
        <TextField name="email" type="email" label={t('fields.email')} autoComplete="username" required />
        <TextField name="password" type="password" label={t('fields.password')} autoComplete="current-password" required />
        <SubmitButton>{t('signIn.submit')}</SubmitButton>
      </Form>
      <Paragraph>
        <RouterLink to="/forgot-password">{t('signIn.forgotPassword')}</RouterLink>
      </Paragraph>
    </Page>
  );
}
