import { useMutation, useQuery } from '@apollo/client/react';
import { DataSummary, DataSummaryItem, Heading, Paragraph } from '@rijkshuisstijl-community/components-react';
import type { TFunction } from 'i18next';
import { ReactNode, useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ConfirmButton, Disclosure } from '../../components/dialogs';
import { Loading, QueryProblem } from '../../components/feedback';
import { TextField } from '../../components/fields';
import { Translated } from '../../components/Translated';
import { Form, formText, StatusRegion, SubmitButton, useFormAction } from '../../components/form';
import { useFormat } from '../../format';
import {
  CREATE_PORTRAIT_VERSION, Portrait, PORTRAIT_VERSION_TEXT, PORTRAIT_VERSIONS, PortraitVersion, RESTORE_PORTRAIT_VERSION,
} from '../../graphql/portraits';

/** A version's plain text, read before deciding to restore it. */
function VersionText({ portraitId, versionId }: { portraitId: string; versionId: string }) {
  const { data, error } = useQuery(PORTRAIT_VERSION_TEXT, { variables: { portraitId, versionId } });
  if (error) return <QueryProblem error={error} />;
  if (!data) return <Loading />;
  return (
    <div className="quire-version-text">
      {data.portraitVersionText.split('\n').map((line, index) => (
        <Paragraph key={index}>{line}</Paragraph>
      ))}
    </div>
  );
}

/** What a version is called: the text kept before a restore is named after the restore, not after the version restored. */
function versionTitle(t: TFunction, version: PortraitVersion): string {
  return version.kind === 'BEFORE_RESTORE' ? t('portraitEditor.versions.beforeRestoreTitle', { label: version.label }) : version.label;
}

function VersionItem({ portrait, version, canRestore, onRestored }: { portrait: Portrait; version: PortraitVersion; canRestore: boolean; onRestored(): void }) {
  const { t } = useTranslation();
  const format = useFormat();
  const title = versionTitle(t, version);
  const [restore] = useMutation(RESTORE_PORTRAIT_VERSION, { refetchQueries: [PORTRAIT_VERSIONS], awaitRefetchQueries: true });
  return (
    <li className="quire-card">
      <Heading level={3}>{title}</Heading>
      <DataSummary>
        <DataSummaryItem itemKey={t('portraitEditor.versions.kind')} itemValue={t(`portraitEditor.versions.kinds.${version.kind}`)} />
        <DataSummaryItem itemKey={t('portraitEditor.versions.when')} itemValue={format.dateTime(version.createdAt)} />
        <DataSummaryItem itemKey={t('portraitEditor.versions.by')} itemValue={version.createdBy?.displayName ?? t('portraitEditor.versions.system')} />
      </DataSummary>
      <Disclosure label={t('portraitEditor.versions.show')}>{() => <VersionText portraitId={portrait.id} versionId={version.id} />}</Disclosure>
      {canRestore && (
        <ConfirmButton
          label={t('portraitEditor.versions.restore')}
          title={t('portraitEditor.versions.restoreTitle', { label: title })}
          confirmLabel={t('portraitEditor.versions.restore')}
          onConfirm={async () => {
            await restore({ variables: { portraitId: portrait.id, versionId: version.id } });
            onRestored();
          }}
        >
          <Paragraph>{t('portraitEditor.versions.restoreBody')}</Paragraph>
        </ConfirmButton>
      )}
    </li>
  );
}

/**
 * The portrait's named versions, newest first: save one now, read one, restore one. A restore is
 * a new change everyone connected sees; the text before it is kept as a version too.
 */
export function VersionHistory({ portrait, canSave }: { portrait: Portrait; canSave: boolean }) {
  const { t } = useTranslation();
  const headingId = useId();
  const [notice, setNotice] = useState<ReactNode>(null);
  const { data, error } = useQuery(PORTRAIT_VERSIONS, { variables: { portraitId: portrait.id }, fetchPolicy: 'cache-and-network' });
  const [create] = useMutation(CREATE_PORTRAIT_VERSION, { refetchQueries: [PORTRAIT_VERSIONS], awaitRefetchQueries: true });
  const save = useFormAction(
    async (form) => {
      const { data: created } = await create({ variables: { portraitId: portrait.id, label: formText(form, 'label').trim() } });
      const label = created?.createPortraitVersion.label;
      if (label !== undefined) setNotice(<Translated>{(tr) => tr('portraitEditor.versions.saved', { label })}</Translated>);
    },
    { resetOnSuccess: true },
  );
  const canRestore = portrait.myAccess === 'READ_WRITE';

  return (
    <section aria-labelledby={headingId}>
      <Heading level={2} id={headingId}>
        {t('portraitEditor.versions.title')}
      </Heading>
      <Paragraph>{t('portraitEditor.versions.intro')}</Paragraph>
      <StatusRegion message={notice} />
      {canSave && (
        <Form action={save}>
          <TextField name="label" label={t('portraitEditor.versions.label')} />
          <SubmitButton>{t('portraitEditor.versions.save')}</SubmitButton>
        </Form>
      )}
      {error ? (
        <QueryProblem error={error} />
      ) : !data ? (
        <Loading />
      ) : data.portraitVersions.length === 0 ? (
        <Paragraph>{t('portraitEditor.versions.empty')}</Paragraph>
      ) : (
        <ul className="quire-cards">
          {data.portraitVersions.map((version) => (
            <VersionItem
              key={version.id}
              portrait={portrait}
              version={version}
              canRestore={canRestore}
              onRestored={() => setNotice(<Translated>{(tr) => tr('portraitEditor.versions.restored', { label: versionTitle(tr, version) })}</Translated>)}
            />
          ))}
        </ul>
      )}
    </section>
  );
}
