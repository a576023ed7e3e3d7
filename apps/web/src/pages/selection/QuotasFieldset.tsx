import { Button, Fieldset, Paragraph } from '@rijkshuisstijl-community/components-react';
import { useEffect, useId, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import { oneOf } from '../../choices';
import { SelectField, TextField } from '../../components/fields';
import { GENDERS, GOVERNMENT_LAYERS } from '../../graphql/nominations';
import { QUOTA_DIMENSIONS } from '../../graphql/voting';
import { firstValueOf, newQuota, QuotaDraft } from './draft';

/** The api takes at most this many quotas (MAX_QUOTAS in the selection service). */
const MAX_QUOTAS = 50;

// Fields are named after the api's input (quotas.0.min, …), as its field problems name them.
const field = (index: number, part: keyof Omit<QuotaDraft, 'key'>): string => `quotas.${index}.${part}`;

interface QuotaRowProps {
  index: number;
  quota: QuotaDraft;
  /** Region names in the results, offered while typing one. */
  regionsListId: string;
  onChange(quota: QuotaDraft): void;
  onRemove(): void;
}

/** One quota: its group (a period, a government layer, a gender or a region) and its limits. */
function QuotaRow({ index, quota, regionsListId, onChange, onRemove }: QuotaRowProps) {
  const { t } = useTranslation();
  const set = (part: keyof Omit<QuotaDraft, 'key'>) => (event: { target: { value: string } }) => onChange({ ...quota, [part]: event.target.value });
  const number = { type: 'number', inputMode: 'numeric' } as const;

  function setDimension(value: string): void {
    const dimension = oneOf(QUOTA_DIMENSIONS, value) ?? quota.dimension;
    onChange({ ...quota, dimension, value: firstValueOf(dimension) });
  }

  return (
    <Fieldset legend={t('selection.quota', { number: index + 1 })}>
      {/* Side by side where there is room, as the candidate filters are. */}
      <div className="quire-filters" data-quota-row={quota.key}>
        <SelectField
          name={field(index, 'dimension')}
          label={t('selection.dimension')}
          value={quota.dimension}
          onChange={(e) => setDimension(e.target.value)}
          options={QUOTA_DIMENSIONS.map((d) => ({ value: d, label: t(`selection.dimensions.${d}`) }))}
        />
        {quota.dimension === 'PERIOD' && (
          <>
            <TextField name={field(index, 'from')} label={t('selection.from')} {...number} value={quota.from} onChange={set('from')} />
            <TextField name={field(index, 'to')} label={t('selection.to')} {...number} value={quota.to} onChange={set('to')} />
          </>
        )}
        {quota.dimension === 'GOVERNMENT_LAYER' && (
          <SelectField
            name={field(index, 'value')}
            label={t('candidate.governmentLayer')}
            value={quota.value}
            onChange={set('value')}
            options={GOVERNMENT_LAYERS.map((layer) => ({ value: layer, label: t(`layers.${layer}`) }))}
          />
        )}
        {quota.dimension === 'GENDER' && (
          <SelectField
            name={field(index, 'value')}
            label={t('candidate.gender')}
            value={quota.value}
            onChange={set('value')}
            options={GENDERS.map((gender) => ({ value: gender, label: t(`genders.${gender}`) }))}
          />
        )}
        {quota.dimension === 'REGION' && (
          <TextField name={field(index, 'value')} label={t('candidate.region')} list={regionsListId} value={quota.value} onChange={set('value')} />
        )}
        <TextField name={field(index, 'min')} label={t('selection.min')} {...number} value={quota.min} onChange={set('min')} />
        <TextField name={field(index, 'max')} label={t('selection.max')} description={t('selection.maxHint')} {...number} value={quota.max} onChange={set('max')} />
        <TextField name={field(index, 'label')} label={t('selection.label')} description={t('selection.labelHint')} value={quota.label} onChange={set('label')} />
      </div>
      <Button appearance="subtle-button" onClick={onRemove}>
        {t('selection.removeQuota', { number: index + 1 })}
      </Button>
    </Fieldset>
  );
}

interface QuotasFieldsetProps {
  quotas: QuotaDraft[];
  /** The regions of the round's candidates, to choose from when typing a region. */
  regions: string[];
  onChange(quotas: QuotaDraft[]): void;
}

/**
 * The editors' quotas: rows to add and remove. A new row takes focus; after a removal focus goes
 * to the add button, so keyboard users never lose their place.
 */
export function QuotasFieldset({ quotas, regions, onChange }: QuotasFieldsetProps) {
  const { t } = useTranslation();
  const container = useRef<HTMLDivElement>(null);
  const addButton = useRef<HTMLButtonElement>(null);
  // Where focus goes once the rows have re-rendered: a new row, or the add button.
  const focusNext = useRef<number | 'add' | null>(null);
  const regionsListId = useId();

  useEffect(() => {
    const target = focusNext.current;
    focusNext.current = null;
    if (target === 'add') addButton.current?.focus();
    else if (target !== null) container.current?.querySelector<HTMLElement>(`[data-quota-row="${target}"] select`)?.focus();
  }, [quotas]);

  function add(): void {
    const quota = newQuota();
    focusNext.current = quota.key;
    onChange([...quotas, quota]);
  }

  function remove(key: number): void {
    focusNext.current = 'add';
    onChange(quotas.filter((q) => q.key !== key));
  }

  return (
    <div ref={container} className="quire-wide">
      <Fieldset legend={t('selection.quotas')}>
        <Paragraph>{t('selection.quotasIntro')}</Paragraph>
        <datalist id={regionsListId}>
          {regions.map((region) => (
            <option key={region} value={region} />
          ))}
        </datalist>
        {quotas.map((quota, index) => (
          <QuotaRow
            key={quota.key}
            index={index}
            quota={quota}
            regionsListId={regionsListId}
            onChange={(changed) => onChange(quotas.map((q) => (q.key === quota.key ? changed : q)))}
            onRemove={() => remove(quota.key)}
          />
        ))}
        {quotas.length < MAX_QUOTAS && (
          <Button ref={addButton} appearance="secondary-action-button" onClick={add}>
            {t('selection.addQuota')}
          </Button>
        )}
      </Fieldset>
    </div>
  );
}
