import { ApolloClient, ApolloLink, HttpLink, InMemoryCache } from '@apollo/client';
import type { FieldPolicy } from '@apollo/client';
import { GraphQLWsLink } from '@apollo/client/link/subscriptions';
import { OperationTypeNode } from 'graphql';
import { createClient } from 'graphql-ws';

interface ConnectionPage {
  nodes: unknown[];
  [field: string]: unknown;
}

/**
 * A Relay-style connection read page by page: pages fetched with `after` are appended to what
 * is cached; a fetch without `after` starts over.
 */
function pagedConnection(keyArgs: string[]): FieldPolicy<ConnectionPage> {
  return {
    keyArgs,
    merge(existing, incoming, { args }) {
      if (!existing || !args?.['after']) return incoming;
      return { ...incoming, nodes: [...existing.nodes, ...incoming.nodes] };
    },
  };
}

function webSocketUrl(path: string): string {
  const url = new URL(path, window.location.href);
  url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
  return url.toString();
}

/**
 * Queries and mutations go over HTTP with the session cookie; subscriptions over graphql-ws on
 * the same path (the browser sends the cookie with the upgrade). The socket opens only while a
 * subscription is active.
 */
export function createApolloClient(): ApolloClient {
  const http = new HttpLink({ uri: '/graphql', credentials: 'include' });
  const ws = new GraphQLWsLink(createClient({ url: webSocketUrl('/graphql'), lazy: true }));
  return new ApolloClient({
    link: ApolloLink.split((operation) => operation.operationType === OperationTypeNode.SUBSCRIPTION, ws, http),
    cache: new InMemoryCache({
      typePolicies: {
        Query: {
          fields: {
            members: pagedConnection(['projectId', 'role']),
            invitations: pagedConnection(['projectId']),
            auditEvents: pagedConnection(['projectId', 'filter']),
            candidates: pagedConnection(['projectId', 'filter', 'sort']),
            nominations: pagedConnection(['roundId', 'status']),
            notifications: pagedConnection(['unreadOnly']),
          },
        },
        // Members have no id of their own; they live inside their connection.
        ProjectMember: { keyFields: false },
        // A round's rules are one value: a newer answer replaces them whole.
        Round: { fields: { rules: { merge: false } } },
      },
    }),
  });
}
