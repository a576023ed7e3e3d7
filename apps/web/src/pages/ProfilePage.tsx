import { useMutation } from '@apollo/client/react';
import { useTranslation } from 'react-i18next';
import { LocaleField, TextField } from '../components/fields';
import { Form, formLocale, formText, StatusRegion, SubmitButton, useFormAction } from '../components/form';
import { Page } from '../components/Page';
import { UPDATE_MY_PROFILE } from '../graphql/operations';
import { useMe } from '../session/session';

export function ProfilePage() {
  const { t } = useTranslation();
  const { me } = useMe();
  const [updateProfile] = useMutation(UPDATE_MY_PROFILE);
  const action = useFormAction(async (data) => {
    // The saved locale becomes the interface language (the layout follows the profile).
    await updateProfile({ variables: { input: { displayName: formText(data, 'displayName'), locale: formLocale(data, 'locale') } } });
    return true;
  });
  if (!me) return null; // RequireSignIn renders this screen only for a signed-in person

  return (
    <Page title={t('profile.title')}>
      <Form action={action}>
        <TextField name="email" type="email" label={t('fields.email')} defaultValue={me.email ?? ''} readOnly />
        <TextField name="displayName" label={t('fields.displayName')} description={t('fields.displayNameHint')} defaultValue={me.displayName} autoComplete="name" required />
        {/* Keyed: the header's language switch changes the profile too; show the new value. */}
        <LocaleField key={me.locale} name="locale" label={t('fields.locale')} defaultValue={me.locale} />
        <SubmitButton>{t('profile.submit')}</SubmitButton>
      </Form>
      <StatusRegion message={action.result && t('profile.saved')} />
    </Page>
  );
}
