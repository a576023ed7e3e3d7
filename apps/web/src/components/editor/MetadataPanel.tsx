import { Button, Fieldset, Heading, Paragraph } from '@rijkshuisstijl-community/components-react';
import { useEffect, useId, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import * as Y from 'yjs';
import { TextAreaField, TextField } from '../fields';
import { CollabSession } from './collab-session';
import { ensureMetaTypes, META_KEYS, metaOf, newSource } from './document-format';
import { useCollabStatus } from './useCollabSession';
import { useObserved } from './useObserved';
import { useYText } from './useYText';

function textIn(map: Y.Map<unknown>, key: string): Y.Text | undefined {
  const value = map.get(key);
  return value instanceof Y.Text ? value : undefined;
}

function SharedTextField({ text, name, label, description, readOnly, type }: { text: Y.Text | undefined; name: string; label: string; description?: string; readOnly: boolean; type?: 'url' }) {
  const binding = useYText<HTMLInputElement>(text);
  return <TextField ref={binding.ref} onChange={binding.onChange} name={name} label={label} description={description} readOnly={readOnly} type={type} />;
}

function SharedTextAreaField({ text, name, label, readOnly }: { text: Y.Text | undefined; name: string; label: string; readOnly: boolean }) {
  const binding = useYText<HTMLTextAreaElement>(text);
  return <TextAreaField ref={binding.ref} onChange={binding.onChange} name={name} label={label} readOnly={readOnly} rows={3} />;
}

function SourceRow({ source, number, readOnly, onRemove }: { source: Y.Map<unknown>; number: number; readOnly: boolean; onRemove(): void }) {
  const { t } = useTranslation();
  return (
    <div className="quire-source-row" data-source-row={String(source.get('id'))}>
      <Fieldset legend={t('sources.row', { number })}>
        <SharedTextField text={textIn(source, 'reference')} name={`sources.${number}.reference`} label={t('sources.reference')} description={t('sources.referenceHint')} readOnly={readOnly} />
        <SharedTextField text={textIn(source, 'url')} name={`sources.${number}.url`} label={t('sources.url')} readOnly={readOnly} type="url" />
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
  const sourcesValue = meta.get(META_KEYS.sources);
  const sources = sourcesValue instanceof Y.Array ? (sourcesValue as Y.Array<Y.Map<unknown>>) : undefined;
  useObserved(sources);
  const panel = useRef<HTMLDivElement>(null);
  const addButton = useRef<HTMLButtonElement>(null);
  // Where focus goes once the list has re-rendered: a new source's first field, or the add button.
  const focusNext = useRef<string | 'add' | null>(null);

  // Writers make the shared fields once the server's state is in, so what others made is kept.
  useEffect(() => {
    if (status.connection === 'connected' && status.access === 'read-write') ensureMetaTypes(session.doc);
  }, [session, status.connection, status.access]);

  useEffect(() => {
    const target = focusNext.current;
    focusNext.current = null;
    if (target === 'add') addButton.current?.focus();
    else if (target) panel.current?.querySelector<HTMLElement>(`[data-source-row="${target}"] input`)?.focus();
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
          <SharedTextAreaField text={textIn(meta, META_KEYS.imageCaption)} name="imageCaption" label={t('portraitEditor.meta.imageCaption')} readOnly={readOnly} />
          <SharedTextField text={textIn(meta, META_KEYS.imageCredit)} name="imageCredit" label={t('portraitEditor.meta.imageCredit')} description={t('portraitEditor.meta.imageCreditHint')} readOnly={readOnly} />
        </Fieldset>
        <Fieldset legend={t('sources.title')}>
          {rows.length === 0 && <Paragraph>{t('portraitEditor.meta.noSources')}</Paragraph>}
          {rows.map((source, index) => (
            <SourceRow key={String(source.get('id'))} source={source} number={index + 1} readOnly={readOnly} onRemove={() => remove(index)} />
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
