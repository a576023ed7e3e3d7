import { useQuery } from '@apollo/client/react';
import { Heading, TableBody, TableCell, TableHeader, TableHeaderCell, TableRow } from '@rijkshuisstijl-community/components-react';
import { useId } from 'react';
import { useTranslation } from 'react-i18next';
import { Loading, QueryProblem } from '../../components/feedback';
import { LoadMore } from '../../components/LoadMore';
import { TableRegion } from '../../components/TableRegion';
import { useFormat } from '../../format';
import { AUDIT_EVENTS, AuditEvent, MEMBERS } from '../../graphql/operations';
import { MEMBERS_PAGE_SIZE } from './PeopleSection';

const PAGE_SIZE = 20;

/** Names for the actors of audit events, from the member list the page has loaded already. */
function useActorNames(projectId: string): (event: AuditEvent) => string {
  const { t } = useTranslation();
  const { data } = useQuery(MEMBERS, { variables: { projectId, first: MEMBERS_PAGE_SIZE }, fetchPolicy: 'cache-only' });
  const names = new Map(data?.members.nodes.map((m) => [m.user.id, m.user.displayName]));
  return (event) => (event.actorId ? (names.get(event.actorId) ?? event.actorId) : t('audit.system'));
}

/** The project's audit log, newest first, page by page (admins). */
export function AuditLog({ projectId }: { projectId: string }) {
  const { t } = useTranslation();
  const format = useFormat();
  const headingId = useId();
  const actorName = useActorNames(projectId);
  const { data, error, fetchMore } = useQuery(AUDIT_EVENTS, { variables: { projectId, first: PAGE_SIZE }, fetchPolicy: 'cache-and-network' });

  return (
    <section aria-labelledby={headingId}>
      <Heading level={2} id={headingId}>
        {t('audit.title')}
      </Heading>
      {error ? (
        <QueryProblem error={error} />
      ) : !data ? (
        <Loading />
      ) : (
        <>
          <TableRegion caption={t('audit.caption')}>
            <TableHeader>
              <TableRow>
                <TableHeaderCell scope="col">{t('audit.when')}</TableHeaderCell>
                <TableHeaderCell scope="col">{t('audit.who')}</TableHeaderCell>
                <TableHeaderCell scope="col">{t('audit.action')}</TableHeaderCell>
                <TableHeaderCell scope="col">{t('audit.entity')}</TableHeaderCell>
                <TableHeaderCell scope="col">{t('audit.details')}</TableHeaderCell>
              </TableRow>
            </TableHeader>
            <TableBody>
              {data.auditEvents.nodes.map((event) => (
                <TableRow key={event.id}>
                  <TableCell>{format.dateTime(event.createdAt)}</TableCell>
                  <TableCell>{actorName(event)}</TableCell>
                  <TableCell>
                    <code>{event.action}</code>
                  </TableCell>
                  <TableCell>{event.entityType}</TableCell>
                  <TableCell>
                    <code className="quire-break">{event.data}</code>
                  </TableCell>
                </TableRow>
              ))}
            </TableBody>
          </TableRegion>
          <LoadMore
            count={t('audit.count', { shown: format.number(data.auditEvents.nodes.length), total: format.number(data.auditEvents.totalCount) })}
            hasNextPage={data.auditEvents.pageInfo.hasNextPage}
            loadMore={() => fetchMore({ variables: { after: data.auditEvents.pageInfo.endCursor } })}
          />
        </>
      )}
    </section>
  );
}
