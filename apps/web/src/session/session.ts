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

/**
 * This page's saves of the interface language, one at a time, each skipped when a later switch
 * came meanwhile. Saved side by side, two quick switches could be stored in the other order, and
 * the profile's answer (which the interface follows, see useProfileLocale) would switch the page
 * back to the older choice.
 */
const localeSaves: { queue: Promise<void>; wanted: { userId: string; locale: Locale } | null } = { queue: Promise.resolve(), wanted: null };

/**
 * A signed-in person's language follows them: their profile's locale wins when it arrives, unless
 * this page is still saving a newer choice of theirs.
 */
export function useProfileLocale(me: Me | null): void {
  const locale = me?.locale;
  const userId = me?.id;
  useEffect(() => {
    const wanted = localeSaves.wanted;
    if (locale && !(wanted && wanted.userId === userId && wanted.locale !== locale)) void applyLocale(locale);
  }, [locale, userId]);
}

/** Switches the interface language; for a signed-in person their profile remembers it too. */
export function useSwitchLocale(): (locale: Locale) => Promise<void> {
  const { me } = useMe();
  const client = useApolloClient();
  const [updateProfile] = useMutation(UPDATE_MY_PROFILE);
  return useCallback(
    async (locale: Locale) => {
      await applyLocale(locale);
      if (!me) return;
      const wanted = { userId: me.id, locale };
      localeSaves.wanted = wanted;
      const save = localeSaves.queue.then(async () => {
        // Read when its turn comes: the saves before it have updated the profile by then.
        if (localeSaves.wanted !== wanted) return;
        // The interface has switched already; if saving fails, the profile keeps its old language
        // until the next switch or profile save, which is no reason to interrupt the person.
        if (client.readQuery({ query: ME })?.me?.locale !== locale) await updateProfile({ variables: { input: { locale } } }).catch(() => undefined);
        if (localeSaves.wanted === wanted) localeSaves.wanted = null;
      });
      localeSaves.queue = save;
      await save;
    },
    [client, me, updateProfile],
  );
}
