import { useMutation, useQuery } from '@apollo/client/react';
import { Heading, Link, Paragraph, TableBody, TableCell, TableHeader, TableHeaderCell, TableRow } from '@rijkshuisstijl-community/components-react';
import { useId } from 'react';
import { useTranslation } from 'react-i18next';
import { Loading, QueryProblem } from '../../components/feedback';
import { CheckboxGroupField, LocaleField, TextField } from '../../components/fields';
import { Form, formLocale, formText, StatusRegion, SubmitButton, useFormAction } from '../../components/form';
import { LoadMore } from '../../components/LoadMore';
import { TableRegion } from '../../components/TableRegion';
import { useFormat } from '../../format';
import { INVITE_MEMBER, MEMBERS, Project, PROJECT_ROLES, ProjectRole } from '../../graphql/operations';

export const MEMBERS_PAGE_SIZE = 50;

function isProjectRole(value: FormDataEntryValue): value is ProjectRole {
  return (PROJECT_ROLES as readonly FormDataEntryValue[]).includes(value);
}

function MemberList({ projectId }: { projectId: string }) {
  const { t } = useTranslation();
  const format = useFormat();
  const { data, error, fetchMore } = useQuery(MEMBERS, { variables: { projectId, first: MEMBERS_PAGE_SIZE } });
  if (error) return <QueryProblem error={error} />;
  if (!data) return <Loading />;
  const { nodes, totalCount, pageInfo } = data.members;
  return (
    <>
      <TableRegion caption={t('people.list')}>
        <TableHeader>
          <TableRow>
            <TableHeaderCell scope="col">{t('people.name')}</TableHeaderCell>
            <TableHeaderCell scope="col">{t('people.email')}</TableHeaderCell>
            <TableHeaderCell scope="col">{t('people.roles')}</TableHeaderCell>
            <TableHeaderCell scope="col">{t('people.since')}</TableHeaderCell>
          </TableRow>
        </TableHeader>
        <TableBody>
          {nodes.map((member) => (
            <TableRow key={member.user.id}>
              <TableHeaderCell scope="row">{member.user.displayName}</TableHeaderCell>
              <TableCell>{member.user.email}</TableCell>
              <TableCell>{format.roles(member.roles)}</TableCell>
              <TableCell>{format.date(member.since)}</TableCell>
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

function InviteForm({ project }: { project: Project }) {
  const { t } = useTranslation();
  const headingId = useId();
  const [invite] = useMutation(INVITE_MEMBER);
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

/** Who takes part, and inviting more (editors and admins). */
export function PeopleSection({ project }: { project: Project }) {
  const { t } = useTranslation();
  const headingId = useId();
  return (
    <section aria-labelledby={headingId}>
      <Heading level={2} id={headingId}>
        {t('people.title')}
      </Heading>
      <MemberList projectId={project.id} />
      <InviteForm project={project} />
    </section>
  );
}
