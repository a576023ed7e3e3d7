import { useMutation, useQuery } from '@apollo/client/react';
import { Heading, Link, Paragraph, TableBody, TableCell, TableHeader, TableHeaderCell, TableRow } from '@rijkshuisstijl-community/components-react';
import { ReactNode, useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { AboutWhom } from '../../components/AboutWhom';
import { ConfirmButton } from '../../components/dialogs';
import { Loading, QueryProblem } from '../../components/feedback';
import { CheckboxGroupField, LocaleField, TextField } from '../../components/fields';
import { Form, formLocale, formText, StatusRegion, SubmitButton, useFormAction } from '../../components/form';
import { LoadMore } from '../../components/LoadMore';
import { TableRegion } from '../../components/TableRegion';
import { Translated } from '../../components/Translated';
import { useFormat } from '../../format';
import { Invitation, INVITATIONS, INVITE_MEMBER, MEMBERS, Project, PROJECT, PROJECT_ROLES, ProjectMember, ProjectRole, SET_MEMBER_ROLES } from '../../graphql/operations';

export const MEMBERS_PAGE_SIZE = 50;

function isProjectRole(value: FormDataEntryValue): value is ProjectRole {
  return (PROJECT_ROLES as readonly FormDataEntryValue[]).includes(value);
}

/** An admin changes a member's roles, or (with none left) takes them out of the project. */
function ChangeRolesButton({ project, member, announce }: { project: Project; member: ProjectMember; announce(notice: ReactNode): void }) {
  const { t } = useTranslation();
  // The project too: an admin changing their own roles changes what this page offers them.
  const [setRoles] = useMutation(SET_MEMBER_ROLES, { refetchQueries: [MEMBERS, PROJECT], awaitRefetchQueries: true });
  const name = member.user.displayName;
  return (
    <ConfirmButton
      label={
        <>
          {t('people.changeRoles')}
          <AboutWhom name={name} />
        </>
      }
      title={t('people.changeRolesTitle', { name })}
      confirmLabel={t('people.saveRoles')}
      messages={{ CONFLICT: t('people.lastAdmin') }}
      onConfirm={async (data) => {
        const roles = data.getAll('roles').filter(isProjectRole);
        await setRoles({ variables: { projectId: project.id, userId: member.user.id, roles } });
        announce(<Translated>{(tr) => (roles.length ? tr('people.rolesSaved', { name }) : tr('people.removed', { name }))}</Translated>);
      }}
    >
      <CheckboxGroupField name="roles" legend={t('people.roles')} options={PROJECT_ROLES.map((role) => ({ value: role, label: t(`roles.${role}`) }))} defaultValues={member.roles} />
      <Paragraph>{t('people.noRolesLeaves', { name })}</Paragraph>
    </ConfirmButton>
  );
}

function MemberList({ project, announce }: { project: Project; announce(notice: ReactNode): void }) {
  const { t } = useTranslation();
  const format = useFormat();
  const { data, error, fetchMore } = useQuery(MEMBERS, { variables: { projectId: project.id, first: MEMBERS_PAGE_SIZE } });
  if (error) return <QueryProblem error={error} />;
  if (!data) return <Loading />;
  const { nodes, totalCount, pageInfo } = data.members;
  const admin = project.myRoles.includes('ADMIN');
  return (
    <>
      <TableRegion caption={t('people.list')}>
        <TableHeader>
          <TableRow>
            <TableHeaderCell scope="col">{t('people.name')}</TableHeaderCell>
            <TableHeaderCell scope="col">{t('people.email')}</TableHeaderCell>
            <TableHeaderCell scope="col">{t('people.roles')}</TableHeaderCell>
            <TableHeaderCell scope="col">{t('people.since')}</TableHeaderCell>
            {admin && <TableHeaderCell scope="col">{t('people.change')}</TableHeaderCell>}
          </TableRow>
        </TableHeader>
        <TableBody>
          {nodes.map((member) => (
            <TableRow key={member.user.id}>
              <TableHeaderCell scope="row">{member.user.displayName}</TableHeaderCell>
              <TableCell>{member.user.email}</TableCell>
              <TableCell>{format.roles(member.roles)}</TableCell>
              <TableCell>{format.date(member.since)}</TableCell>
              {admin && (
                <TableCell>
                  <ChangeRolesButton project={project} member={member} announce={announce} />
                </TableCell>
              )}
            </TableRow>
          ))}
        </TableBody>
      </TableRegion>
      <LoadMore
        count={t('people.count', { shown: format.number(nodes.length), total: format.number(totalCount) })}
        hasNextPage={pageInfo.hasNextPage}
        loadMore={() => fetchMore({ variables: { after: pageInfo.endCursor } })}
      />
    </>
  );
}

/** Where an invitation stands: accepted, open until it expires, or expired. */
function InvitationState({ invitation }: { invitation: Invitation }) {
  const { t } = useTranslation();
  const format = useFormat();
  if (invitation.acceptedAt) return <>{t('people.accepted', { date: format.dateTime(invitation.acceptedAt) })}</>;
  if (new Date(invitation.expiresAt).getTime() > Date.now()) return <>{t('people.openUntil', { date: format.dateTime(invitation.expiresAt) })}</>;
  return <>{t('people.expired', { date: format.dateTime(invitation.expiresAt) })}</>;
}

/** The invitations sent, newest first, and where each stands. */
function InvitationList({ project }: { project: Project }) {
  const { t } = useTranslation();
  const format = useFormat();
  const headingId = useId();
  const { data, error, fetchMore } = useQuery(INVITATIONS, { variables: { projectId: project.id, first: MEMBERS_PAGE_SIZE }, fetchPolicy: 'cache-and-network' });
  let content;
  if (error) content = <QueryProblem error={error} />;
  else if (!data) content = <Loading />;
  else if (data.invitations.nodes.length === 0) content = <Paragraph>{t('people.noInvitations')}</Paragraph>;
  else {
    const { nodes, totalCount, pageInfo } = data.invitations;
    content = (
      <>
        <TableRegion caption={t('people.invitationsCaption')}>
          <TableHeader>
            <TableRow>
              <TableHeaderCell scope="col">{t('people.email')}</TableHeaderCell>
              <TableHeaderCell scope="col">{t('people.roles')}</TableHeaderCell>
              <TableHeaderCell scope="col">{t('people.sent')}</TableHeaderCell>
              <TableHeaderCell scope="col">{t('people.state')}</TableHeaderCell>
            </TableRow>
          </TableHeader>
          <TableBody>
            {nodes.map((invitation) => (
              <TableRow key={invitation.id}>
                <TableHeaderCell scope="row">{invitation.email}</TableHeaderCell>
                <TableCell>{format.roles(invitation.roles)}</TableCell>
                <TableCell>{format.dateTime(invitation.createdAt)}</TableCell>
                <TableCell>
                  <InvitationState invitation={invitation} />
                </TableCell>
              </TableRow>
            ))}
          </TableBody>
        </TableRegion>
        <LoadMore
          count={t('people.invitationsCount', { shown: format.number(nodes.length), total: format.number(totalCount) })}
          hasNextPage={pageInfo.hasNextPage}
          loadMore={() => fetchMore({ variables: { after: pageInfo.endCursor } })}
        />
      </>
    );
  }
  return (
    <section aria-labelledby={headingId}>
      <Heading level={3} id={headingId}>
        {t('people.invitations')}
      </Heading>
      {content}
    </section>
  );
}

function InviteForm({ project }: { project: Project }) {
  const { t } = useTranslation();
  const headingId = useId();
  const [invite] = useMutation(INVITE_MEMBER, { refetchQueries: [INVITATIONS] });
  const action = useFormAction(
    async (data) => {
      const result = await invite({
        variables: {
          projectId: project.id,
          input: { email: formText(data, 'email'), roles: data.getAll('roles').filter(isProjectRole), locale: formLocale(data, 'locale') },
        },
      });
      return result.data?.inviteMember;
    },
    { resetOnSuccess: true },
  );
  // Editors invite members and authors; only admins hand out the editor and admin roles.
  const grantable = project.myRoles.includes('ADMIN') ? PROJECT_ROLES : PROJECT_ROLES.filter((r) => r === 'MEMBER' || r === 'AUTHOR');
  const invited = action.result;

  return (
    <section aria-labelledby={headingId}>
      <Heading level={3} id={headingId}>
        {t('people.invite')}
      </Heading>
      <Paragraph>{t('people.inviteIntro')}</Paragraph>
      <Form action={action}>
        <TextField name="email" type="email" label={t('fields.email')} autoComplete="off" required />
        <CheckboxGroupField
          name="roles"
          legend={t('people.roles')}
          options={grantable.map((role) => ({ value: role, label: t(`roles.${role}`) }))}
          defaultValues={['MEMBER']}
        />
        <LocaleField name="locale" label={t('people.invitationLanguage')} defaultValue={project.language} />
        <SubmitButton>{t('people.inviteSubmit')}</SubmitButton>
      </Form>
      <StatusRegion
        message={
          invited && (
            <Paragraph>
              {t('people.invited', { email: invited.invitation.email })}{' '}
              <Link href={invited.acceptUrl} className="quire-break">
                {invited.acceptUrl}
              </Link>
            </Paragraph>
          )
        }
      />
    </section>
  );
}

/** Who takes part, and inviting more (editors and admins); admins change roles. */
export function PeopleSection({ project }: { project: Project }) {
  const { t } = useTranslation();
  const headingId = useId();
  const [notice, announce] = useState<ReactNode>(null);
  return (
    <section aria-labelledby={headingId}>
      <Heading level={2} id={headingId}>
        {t('people.title')}
      </Heading>
      <StatusRegion message={notice} />
      <MemberList project={project} announce={announce} />
      <InviteForm project={project} />
      <InvitationList project={project} />
    </section>
  );
}
