import { Button, Fieldset, Heading, Paragraph } from '@rijkshuisstijl-community/components-react';
import { useEffect, useId, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import * as Y from 'yjs';
import { SelectField, TextAreaField, TextField } from '../fields';
import { SOURCE_KINDS } from '../../graphql/nominations';
import { CollabSession } from './collab-session';
import { ensureSourceList, META_KEYS, metaOf, newSource, sourceKindOf, textOf } from './document-format';
import { useCollabStatus } from './useCollabSession';
import { useObserved } from './useObserved';

/** A field of a shared map: what anyone types is set in the map, and others' changes show at once. */
function mapField(map: Y.Map<unknown>, key: string, readOnly: boolean, emptyAs: '' | null = '') {
  return {
    value: textOf(map, key),
    readOnly,
    onChange: (event: { currentTarget: { value: string } }) => map.set(key, event.currentTarget.value === '' ? emptyAs : event.currentTarget.value),
  };
}

function SourceRow({ source, number, readOnly, onRemove }: { source: Y.Map<unknown>; number: number; readOnly: boolean; onRemove(): void }) {
  const { t } = useTranslation();
  useObserved(source);
  return (
    <div className="quire-source-row" data-source-row={textOf(source, 'id')}>
      <Fieldset legend={t('sources.row', { number })}>
        <SelectField
          name={`sources.${number}.kind`}
          label={t('sources.kind')}
          value={sourceKindOf(source)}
          disabled={readOnly}
          onChange={(event) => source.set('kind', event.currentTarget.value)}
          options={SOURCE_KINDS.map((kind) => ({ value: kind, label: t(`sourceKinds.${kind}`) }))}
        />
        <TextField name={`sources.${number}.reference`} label={t('sources.reference')} description={t('sources.referenceHint')} {...mapField(source, 'reference', readOnly)} />
        <TextField name={`sources.${number}.url`} type="url" inputMode="url" label={t('sources.url')} {...mapField(source, 'url', readOnly, null)} />
        {!readOnly && (
          <Button appearance="subtle-button" onClick={onRemove}>
            {t('sources.remove', { number })}
          </Button>
        )}
      </Fieldset>
    </div>
  );
}

/**
 * The portrait's sources and its image caption and credit, in the document's metadata map, so
 * they are written together live like the text, and kept in its versions.
 */
export function MetadataPanel({ session }: { session: CollabSession }) {
  const { t } = useTranslation();
  const headingId = useId();
  const status = useCollabStatus(session);
  const readOnly = status.access !== 'read-write' || status.connection === 'closed';
  const meta = metaOf(session.doc);
  useObserved(meta);
  const list = meta.get(META_KEYS.sources);
  const sources = list instanceof Y.Array ? (list as Y.Array<Y.Map<unknown>>) : undefined;
  useObserved(sources);
  const panel = useRef<HTMLDivElement>(null);
  const addButton = useRef<HTMLButtonElement>(null);
  // Where focus goes once the list has re-rendered: a new source's first field, or the add button.
  const focusNext = useRef<string | 'add' | null>(null);

  // Writers make the list once the server's state is in, so a list others made is kept.
  useEffect(() => {
    if (status.connection === 'connected' && status.access === 'read-write') ensureSourceList(session.doc);
  }, [session, status.connection, status.access]);

  useEffect(() => {
    const target = focusNext.current;
    focusNext.current = null;
    if (target === 'add') addButton.current?.focus();
    else if (target) panel.current?.querySelector<HTMLElement>(`[data-source-row="${target}"] select`)?.focus();
  });

  function add(): void {
    const { id, source } = newSource();
    focusNext.current = id;
    sources?.push([source]);
  }

  function remove(index: number): void {
    focusNext.current = 'add';
    sources?.delete(index, 1);
  }

  const rows = sources?.toArray() ?? [];
  return (
    <section aria-labelledby={headingId} className="quire-editor__panel" ref={panel}>
      <Heading level={2} id={headingId}>
        {t('portraitEditor.meta.title')}
      </Heading>
      <div className="quire-form">
        <Fieldset legend={t('portraitEditor.meta.image')}>
          <TextAreaField name="imageCaption" label={t('portraitEditor.meta.imageCaption')} rows={3} {...mapField(meta, META_KEYS.imageCaption, readOnly)} />
          <TextField
            name="imageCredit"
            label={t('portraitEditor.meta.imageCredit')}
            description={t('portraitEditor.meta.imageCreditHint')}
            {...mapField(meta, META_KEYS.imageCredit, readOnly)}
          />
        </Fieldset>
        <Fieldset legend={t('sources.title')}>
          {rows.length === 0 && <Paragraph>{t('portraitEditor.meta.noSources')}</Paragraph>}
          {rows.map((source, index) => (
            <SourceRow key={textOf(source, 'id')} source={source} number={index + 1} readOnly={readOnly} onRemove={() => remove(index)} />
          ))}
          {!readOnly && sources && (
            <Button ref={addButton} appearance="secondary-action-button" onClick={add}>
              {t('sources.add')}
            </Button>
          )}
        </Fieldset>
      </div>
    </section>
  );
}
