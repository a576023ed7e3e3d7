import { gql } from '@apollo/client';
import type { TypedDocumentNode } from '@apollo/client';
import type { Connection, NoVariables } from './operations';

// In-app notifications, after libs/domain/notifications/src/notifications.model.ts.

export interface Notification {
  id: string;
  projectId: string;
  /** CANDIDATE_MERGED, COMMENT_ADDED, NOMINATION_HIDDEN, … */
  kind: string;
  /** JSON with what the notification is about (ids and names). */
  data: string;
  readAt: string | null;
  createdAt: string;
}

const NOTIFICATION_FIELDS = gql`
  fragment NotificationFields on Notification {
    id
    projectId
    kind
    data
    readAt
    createdAt
  }
`;

export const NOTIFICATIONS: TypedDocumentNode<
  { notifications: Connection<Notification> & { unreadCount: number } },
  { first: number; after?: string | null }
> = gql`
  query Notifications($first: Int!, $after: String) {
    notifications(first: $first, after: $after) {
      nodes {
        ...NotificationFields
      }
      unreadCount
      totalCount
      pageInfo {
        hasNextPage
        endCursor
      }
    }
  }
  ${NOTIFICATION_FIELDS}
`;

/** Only the number of unread notifications, for the header. */
export const UNREAD_NOTIFICATION_COUNT: TypedDocumentNode<{ notifications: { unreadCount: number } }, NoVariables> = gql`
  query UnreadNotificationCount {
    notifications(unreadOnly: true, first: 1) {
      unreadCount
    }
  }
`;

export const MARK_NOTIFICATIONS_READ: TypedDocumentNode<{ markNotificationsRead: number }, { ids?: string[] | null }> = gql`
  mutation MarkNotificationsRead($ids: [ID!]) {
    markNotificationsRead(ids: $ids)
  }
`;

export const NOTIFICATION_ADDED: TypedDocumentNode<{ notificationAdded: Notification }, NoVariables> = gql`
  subscription NotificationAdded {
    notificationAdded {
      ...NotificationFields
    }
  }
  ${NOTIFICATION_FIELDS}
`;
