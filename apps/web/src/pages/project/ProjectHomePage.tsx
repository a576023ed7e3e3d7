import { DataSummary, DataSummaryItem, Heading, Paragraph } from '@rijkshuisstijl-community/components-react';
import { useId } from 'react';
import { useTranslation } from 'react-i18next';
import { Page } from '../../components/Page';
import { useFormat } from '../../format';
import { Project } from '../../graphql/operations';
import { AuditLog } from './AuditLog';
import { PortraitsSection } from '../portraits/PortraitsSection';
import { PeopleSection } from './PeopleSection';
import { isModerator, useProject } from './ProjectLayout';
import { RoundsSection } from './RoundsSection';
import { SettingsSection } from './SettingsSection';

function AboutSection({ project }: { project: Project }) {
  const { t } = useTranslation();
  const format = useFormat();
  const headingId = useId();
  return (
    <section aria-labelledby={headingId}>
      <Heading level={2} id={headingId}>
        {t('project.about')}
      </Heading>
      <Paragraph className="quire-prose">{project.description || t('project.noDescription')}</Paragraph>
      <DataSummary>
        <DataSummaryItem itemKey={t('project.portraits')} itemValue={t('project.portraitsValue', { count: format.number(project.targetPortraitCount) })} />
        <DataSummaryItem
          itemKey={t('project.wordLimits')}
          itemValue={t('project.wordLimitsValue', { min: format.number(project.wordLimitMin), max: format.number(project.wordLimitMax) })}
        />
        <DataSummaryItem itemKey={t('project.language')} itemValue={t(`languages.${project.language}`)} />
        <DataSummaryItem itemKey={t('project.myRoles')} itemValue={format.roles(project.myRoles)} />
      </DataSummary>
    </section>
  );
}

/** A book project's home: what it is, its rounds, and for editors and admins the tools to run it. */
export function ProjectHomePage() {
  const project = useProject();
  const isAdmin = project.myRoles.includes('ADMIN');
  return (
    <Page title={project.title}>
      <AboutSection project={project} />
      <RoundsSection project={project} />
      <PortraitsSection project={project} />
      {isModerator(project) && <PeopleSection project={project} />}
      {isAdmin && <SettingsSection project={project} />}
      {isAdmin && <AuditLog projectId={project.id} />}
    </Page>
  );
}
