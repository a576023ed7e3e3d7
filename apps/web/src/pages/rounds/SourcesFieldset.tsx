import { Button, Fieldset, Paragraph } from '@rijkshuisstijl-community/components-react';
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { oneOf } from '../../choices';
import { SelectField, TextField } from '../../components/fields';
import { formText } from '../../components/form';
import { SOURCE_KINDS, SourceInput } from '../../graphql/nominations';

/** The api takes at most this many sources per nomination (MAX_SOURCES in nominations.service). */
const MAX_SOURCES = 10;

// Rows are named after the api's input (sources.0.url, …), as its field problems name them.
const field = (index: number, part: keyof SourceInput): string => `sources.${index}.${part}`;

/** The sources in a form with SourcesFieldset, in the order of their rows. */
export function sourcesFrom(data: FormData): SourceInput[] {
  const sources: SourceInput[] = [];
  for (let i = 0; data.has(field(i, 'kind')); i++) {
    sources.push({
      kind: oneOf(SOURCE_KINDS, formText(data, field(i, 'kind'))) ?? 'URL',
      reference: formText(data, field(i, 'reference')),
      url: formText(data, field(i, 'url')).trim() || null,
    });
  }
  return sources;
}

/**
 * Where a nomination's facts come from: rows to add and remove. A new row takes focus; after a
 * removal focus goes to the add button, so keyboard users never lose their place.
 */
export function SourcesFieldset() {
  const { t } = useTranslation();
  // Each row keeps its key while others are removed, so what was typed in it stays with it.
  const [rows, setRows] = useState<number[]>([]);
  const nextKey = useRef(0);
  // Where focus goes once the rows have re-rendered: a new row, or the add button.
  const focusNext = useRef<number | 'add' | null>(null);
  const fieldset = useRef<HTMLDivElement>(null);
  const addButton = useRef<HTMLButtonElement>(null);

  useEffect(() => {
    const target = focusNext.current;
    focusNext.current = null;
    if (target === 'add') addButton.current?.focus();
    else if (target !== null) fieldset.current?.querySelector<HTMLElement>(`[data-source-row="${target}"] select`)?.focus();
  }, [rows]);

  function add(): void {
    const key = nextKey.current++;
    focusNext.current = key;
    setRows([...rows, key]);
  }

  function remove(key: number): void {
    focusNext.current = 'add';
    setRows(rows.filter((k) => k !== key));
  }

  return (
    <div ref={fieldset}>
      <Fieldset legend={t('sources.title')}>
        <Paragraph>{t('sources.intro')}</Paragraph>
        {rows.map((key, index) => (
          <div key={key} data-source-row={key} className="quire-source-row">
            <Fieldset legend={t('sources.row', { number: index + 1 })}>
              <SelectField name={field(index, 'kind')} label={t('sources.kind')} options={SOURCE_KINDS.map((kind) => ({ value: kind, label: t(`sourceKinds.${kind}`) }))} />
              <TextField name={field(index, 'reference')} label={t('sources.reference')} description={t('sources.referenceHint')} />
              <TextField name={field(index, 'url')} type="url" inputMode="url" label={t('sources.url')} description={t('sources.urlHint')} />
              <Button appearance="subtle-button" onClick={() => remove(key)}>
                {t('sources.remove', { number: index + 1 })}
              </Button>
            </Fieldset>
          </div>
        ))}
        {rows.length < MAX_SOURCES && (
          <Button ref={addButton} appearance="secondary-action-button" onClick={add}>
            {t('sources.add')}
          </Button>
        )}
      </Fieldset>
    </div>
  );
}
