import { useMutation, useQuery } from '@apollo/client/react';
import { Paragraph } from '@rijkshuisstijl-community/components-react';
import { useTranslation } from 'react-i18next';
import { ActionButton } from '../components/actions';
import { Loading, QueryProblem } from '../components/feedback';
import { LoadMore } from '../components/LoadMore';
import { Page } from '../components/Page';
import { RouterLink } from '../components/RouterLink';
import { useFormat } from '../format';
import { MARK_NOTIFICATIONS_READ, Notification, NOTIFICATIONS, UNREAD_NOTIFICATION_COUNT } from '../graphql/notifications';
import { PROJECTS } from '../graphql/operations';
import { paths } from '../paths';

const PAGE_SIZE = 20;

/** What notifications of the kinds Quire sends say they are about (see libs/queue jobs). */
interface NotificationData {
  candidateId?: string;
  candidateName?: string;
  mergedCandidateName?: string;
}

function dataOf(notification: Notification): NotificationData {
  try {
    const data: unknown = JSON.parse(notification.data);
    return typeof data === 'object' && data !== null ? (data as NotificationData) : {};
  } catch {
    return {};
  }
}

/** A notification in words, with a link to the candidate it is about. */
function NotificationText({ notification, slug }: { notification: Notification; slug: string | undefined }) {
  const { t } = useTranslation();
  const data = dataOf(notification);
  const candidate = data.candidateName ?? '';
  const text =
    notification.kind === 'CANDIDATE_MERGED'
      ? t('notifications.kinds.CANDIDATE_MERGED', { merged: data.mergedCandidateName ?? '', candidate })
      : notification.kind === 'COMMENT_ADDED'
        ? t('notifications.kinds.COMMENT_ADDED', { candidate })
        : notification.kind === 'NOMINATION_HIDDEN'
          ? t('notifications.kinds.NOMINATION_HIDDEN', { candidate })
          : t('notifications.kinds.other');
  return (
    <Paragraph>
      {text}{' '}
      {slug && data.candidateId && <RouterLink to={paths.candidate(slug, data.candidateId)}>{t('notifications.view', { candidate })}</RouterLink>}
    </Paragraph>
  );
}

/** My notifications, newest first, and marking them read. */
export function NotificationsPage() {
  const { t } = useTranslation();
  const format = useFormat();
  const { data, error, fetchMore } = useQuery(NOTIFICATIONS, { variables: { first: PAGE_SIZE }, fetchPolicy: 'cache-and-network' });
  // Notifications name their project by id; links need its slug.
  const projects = useQuery(PROJECTS).data?.projects;
  const slugOf = (projectId: string): string | undefined => projects?.find((p) => p.id === projectId)?.slug;
  const [markRead] = useMutation(MARK_NOTIFICATIONS_READ, { refetchQueries: [NOTIFICATIONS, UNREAD_NOTIFICATION_COUNT], awaitRefetchQueries: true });

  return (
    <Page title={t('notifications.title')}>
      {error ? (
        <QueryProblem error={error} />
      ) : !data ? (
        <Loading />
      ) : (
        <>
          <Paragraph>{t('notifications.unread', { count: data.notifications.unreadCount })}</Paragraph>
          {data.notifications.unreadCount > 0 && <ActionButton onAction={() => markRead({ variables: { ids: null } })}>{t('notifications.markAllRead')}</ActionButton>}
          {data.notifications.nodes.length === 0 ? (
            <Paragraph>{t('notifications.empty')}</Paragraph>
          ) : (
            <ul className="quire-cards">
              {data.notifications.nodes.map((notification) => (
                <li key={notification.id} className={notification.readAt ? 'quire-card' : 'quire-card quire-card--unread'}>
                  <Paragraph className="quire-muted">
                    {format.dateTime(notification.createdAt)}
                    {!notification.readAt && ` · ${t('notifications.new')}`}
                  </Paragraph>
                  <NotificationText notification={notification} slug={slugOf(notification.projectId)} />
                  {!notification.readAt && (
                    <ActionButton onAction={() => markRead({ variables: { ids: [notification.id] } })}>{t('notifications.markRead')}</ActionButton>
                  )}
                </li>
              ))}
            </ul>
          )}
          <LoadMore
            count={t('notifications.count', { shown: format.number(data.notifications.nodes.length), total: format.number(data.notifications.totalCount) })}
            hasNextPage={data.notifications.pageInfo.hasNextPage}
            loadMore={() => fetchMore({ variables: { after: data.notifications.pageInfo.endCursor } })}
          />
        </>
      )}
    </Page>
  );
}
