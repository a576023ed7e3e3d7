import { useMutation, useQuery } from '@apollo/client/react';
import { Heading, Paragraph } from '@rijkshuisstijl-community/components-react';
import { useId } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate, useParams } from 'react-router';
import { Loading, QueryProblem } from '../components/feedback';
import { LocaleField, TextField } from '../components/fields';
import { Form, formLocale, formText, SubmitButton, useFormAction } from '../components/form';
import { Page } from '../components/Page';
import { signInPath } from '../components/RequireSignIn';
import { RouterLink } from '../components/RouterLink';
import { useFormat } from '../format';
import { ACCEPT_INVITATION, INVITATION, InvitationPreview, Me } from '../graphql/operations';
import { currentLocale } from '../i18n';
import { useMe, useSignedIn } from '../session/session';

/** Accepts the invitation (as `me`, or with a new account from the form) and opens the project. */
function useAccept(token: string, projectSlug: string) {
  const navigate = useNavigate();
  const [accept] = useMutation(ACCEPT_INVITATION);
  const signedIn = useSignedIn();
  return useFormAction(async (data) => {
    const newAccount = data.has('password')
      ? { displayName: formText(data, 'displayName'), password: formText(data, 'password'), locale: formLocale(data, 'locale') }
      : {};
    const result = await accept({ variables: { input: { token, ...newAccount } } });
    if (!result.data) return;
    await signedIn(result.data.acceptInvitation.user);
    await navigate(`/p/${encodeURIComponent(projectSlug)}`, { replace: true });
  });
}

function AcceptForm({ token, invitation, me }: { token: string; invitation: InvitationPreview; me: Me | null }) {
  const { t } = useTranslation();
  const action = useAccept(token, invitation.projectSlug);
  const path = `/invitation/${encodeURIComponent(token)}`;
  const headingId = useId();

  if (me) {
    return (
      <Form action={action}>
        <Paragraph>{t('invitation.signedInAs', { name: me.displayName })}</Paragraph>
        <SubmitButton>{t('invitation.accept')}</SubmitButton>
      </Form>
    );
  }
  if (invitation.accountExists) {
    return (
      <Paragraph>
        {t('invitation.accountExists', { email: invitation.email })}{' '}
        <RouterLink to={signInPath(path)}>{t('invitation.signInToAccept')}</RouterLink>
      </Paragraph>
    );
  }
  return (
    <section aria-labelledby={headingId}>
      <Heading level={2} id={headingId}>
        {t('invitation.newAccount')}
      </Heading>
      <Paragraph>{t('invitation.newAccountIntro')}</Paragraph>
      <Form action={action} messages={{ CONFLICT: t('invitation.CONFLICT') }}>
        <TextField name="displayName" label={t('fields.displayName')} description={t('fields.displayNameHint')} autoComplete="name" required />
        <TextField name="password" type="password" label={t('fields.password')} description={t('fields.passwordHint')} autoComplete="new-password" required />
        <LocaleField name="locale" label={t('fields.locale')} defaultValue={currentLocale()} />
        <SubmitButton>{t('invitation.createAndAccept')}</SubmitButton>
      </Form>
    </section>
  );
}

export function InvitationPage() {
  const { t } = useTranslation();
  const format = useFormat();
  const { token = '' } = useParams();
  const { me, loading: meLoading } = useMe();
  // Always asked afresh: whether the invitation is still usable is the point of this screen.
  const { data, loading, error } = useQuery(INVITATION, { variables: { token }, fetchPolicy: 'network-only' });

  if (loading || meLoading) return <Loading label={t('invitation.loading')} />;
  if (!data) {
    return (
      <Page title={t('invitation.unusableTitle')}>
        <QueryProblem error={error} />
        <Paragraph>
          <RouterLink to="/sign-in">{t('signIn.title')}</RouterLink>
        </Paragraph>
      </Page>
    );
  }
  const invitation = data.invitation;
  return (
    <Page title={t('invitation.title', { project: invitation.projectTitle })}>
      <Paragraph>
        {t('invitation.invitedAs')} <strong>{format.roles(invitation.roles)}</strong>
      </Paragraph>
      <Paragraph>
        {t('invitation.forEmail', { email: invitation.email })} {t('invitation.validUntil', { date: format.dateTime(invitation.expiresAt) })}
      </Paragraph>
      <AcceptForm token={token} invitation={invitation} me={me} />
    </Page>
  );
}
