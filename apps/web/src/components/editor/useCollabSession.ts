import { useApolloClient } from '@apollo/client/react';
import { useEffect, useState, useSyncExternalStore } from 'react';
import { COLLAB_TICKET, CollabTicket } from '../../graphql/portraits';
import { CollabPerson, CollabSession, CollabStatus, CollabUser } from './collab-session';

/**
 * The collaboration session of a portrait while the component is mounted: a ticket from the api,
 * then the connection. A new person or portrait starts a new session.
 */
export function useCollabSession(portraitId: string, user: CollabUser): { session: CollabSession | null; error: unknown } {
  const client = useApolloClient();
  const [session, setSession] = useState<CollabSession | null>(null);
  const [error, setError] = useState<unknown>(null);
  const { id, name, color } = user;

  useEffect(() => {
    let cancelled = false;
    let opened: CollabSession | null = null;
    const ticket = async (): Promise<CollabTicket> => {
      const { data } = await client.mutate({ mutation: COLLAB_TICKET, variables: { portraitId } });
      if (!data) throw new Error('No collaboration ticket');
      return data.collabTicket;
    };
    setError(null);
    ticket().then(
      (first) => {
        if (cancelled) return;
        opened = new CollabSession({ ticket: first, renewTicket: ticket, user: { id, name, color } });
        setSession(opened);
      },
      (e: unknown) => {
        if (!cancelled) setError(e);
      },
    );
    return () => {
      cancelled = true;
      opened?.destroy();
      setSession(null);
    };
  }, [client, portraitId, id, name, color]);

  return { session, error };
}

export function useCollabStatus(session: CollabSession): CollabStatus {
  return useSyncExternalStore(session.subscribe, session.getStatus);
}

export function useCollabPeople(session: CollabSession): CollabPerson[] {
  return useSyncExternalStore(session.subscribe, session.getPeople);
}
