import { useApolloClient, useMutation, useQuery } from '@apollo/client/react';
import { useCallback, useEffect } from 'react';
import { ME, Me, SIGN_OUT, UPDATE_MY_PROFILE } from '../graphql/operations';
import { applyLocale, Locale } from '../i18n';

/** The signed-in person (null when nobody is), from the session cookie. */
export function useMe(): { me: Me | null; loading: boolean; error: unknown } {
  const { data, loading, error } = useQuery(ME);
  return { me: data?.me ?? null, loading, error };
}

/**
 * After any way of signing in (password, invitation, sign-up, reset): the new person becomes
 * `me`. If someone else was signed in on this page, nothing cached for them may stay.
 */
export function useSignedIn(): (user: Me) => Promise<void> {
  const client = useApolloClient();
  return useCallback(
    async (user: Me) => {
      const previous = client.readQuery({ query: ME })?.me;
      if (previous && previous.id !== user.id) await client.resetStore();
      else client.writeQuery({ query: ME, data: { me: user } });
    },
    [client],
  );
}

/**
 * Signs out and reloads on the sign-in page: a fresh page holds nothing of the previous
 * person (cache, open subscriptions), whatever screens later issues add.
 */
export function useSignOut(): () => Promise<void> {
  const [signOut] = useMutation(SIGN_OUT);
  return useCallback(async () => {
    await signOut();
    window.location.assign('/sign-in');
  }, [signOut]);
}

/** A signed-in person's language follows them: their profile's locale wins when it arrives. */
export function useProfileLocale(me: Me | null): void {
  const locale = me?.locale;
  useEffect(() => {
    if (locale) void applyLocale(locale);
  }, [locale]);
}

/** Switches the interface language; for a signed-in person their profile remembers it too. */
export function useSwitchLocale(): (locale: Locale) => Promise<void> {
  const { me } = useMe();
  const [updateProfile] = useMutation(UPDATE_MY_PROFILE);
  return useCallback(
    async (locale: Locale) => {
      await applyLocale(locale);
      if (!me || me.locale === locale) return;
      // The interface has switched already; if saving fails, the profile keeps its old language
      // until the next switch or profile save, which is no reason to interrupt the person.
      await updateProfile({ variables: { input: { locale } } }).catch(() => undefined);
    },
    [me, updateProfile],
  );
}
