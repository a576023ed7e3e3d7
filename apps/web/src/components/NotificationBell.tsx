import { useApolloClient, useQuery, useSubscription } from '@apollo/client/react';
import { Icon } from '@rijkshuisstijl-community/components-react';
import { useTranslation } from 'react-i18next';
import { NOTIFICATION_ADDED, NOTIFICATIONS, UNREAD_NOTIFICATION_COUNT } from '../graphql/notifications';
import { paths } from '../paths';
import { NavigationLink } from './RouterLink';

/** The way to my notifications, with how many are unread; a new one arrives live. */
export function NotificationBell() {
  const { t } = useTranslation();
  const client = useApolloClient();
  const { data } = useQuery(UNREAD_NOTIFICATION_COUNT, { fetchPolicy: 'cache-and-network' });
  useSubscription(NOTIFICATION_ADDED, {
    onData: () => void client.refetchQueries({ include: [UNREAD_NOTIFICATION_COUNT, NOTIFICATIONS] }),
  });
  const unread = data?.notifications.unreadCount ?? 0;
  return (
    <NavigationLink to={paths.notifications} className="quire-bell">
      <Icon icon="bel" aria-hidden="true" />
      {t('notifications.title')}{' '}
      {unread > 0 && (
        <span className="nl-number-badge">
          <span className="nl-number-badge__visible-label" aria-hidden="true">
            {unread}
          </span>
          <span className="nl-number-badge__hidden-label">{t('notifications.unread', { count: unread })}</span>
        </span>
      )}
    </NavigationLink>
  );
}
