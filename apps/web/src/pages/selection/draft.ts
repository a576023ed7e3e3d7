import { useTranslation } from 'react-i18next';
import { GENDERS, GOVERNMENT_LAYERS } from '../../graphql/nominations';
import { QuotaDimension, QuotaInput, Selection, SelectionInput } from '../../graphql/voting';

/** A quota as the editor types it: every field text, as its input holds it. */
export interface QuotaDraft {
  /** Stays with the row while others are removed, so what was typed stays with it. */
  key: number;
  dimension: QuotaDimension;
  value: string;
  from: string;
  to: string;
  min: string;
  max: string;
  label: string;
}

/** What the editors ask the balance assistant, as the selection screen holds it. */
export interface SelectionDraft {
  size: string;
  quotas: QuotaDraft[];
  pinned: string[];
  excluded: string[];
  /** Empty for a new draw. */
  seed: string;
}

let quotaKeys = 0;

/** A group's first value, so a new or changed quota starts with a valid choice. */
export function firstValueOf(dimension: QuotaDimension): string {
  if (dimension === 'GOVERNMENT_LAYER') return GOVERNMENT_LAYERS[0];
  if (dimension === 'GENDER') return GENDERS[0];
  return '';
}

export function newQuota(dimension: QuotaDimension = 'GENDER'): QuotaDraft {
  return { key: quotaKeys++, dimension, value: firstValueOf(dimension), from: '', to: '', min: '', max: '', label: '' };
}

const text = (n: number | null): string => (n === null ? '' : String(n));

/**
 * The draft to start from: the newest proposal's quotas, pins, exclusions and size (a rerun
 * usually changes one thing), with a new draw; otherwise the book's places that are left, or
 * every candidate the round offers where it has fewer.
 */
export function draftFrom(newest: Selection | null, placesLeft: number, quotaName: QuotaName, candidateCount: number): SelectionDraft {
  if (!newest) return { size: String(Math.min(placesLeft, candidateCount)), quotas: [], pinned: [], excluded: [], seed: '' };
  return {
    size: String(newest.size),
    quotas: newest.quotas.map((q) => {
      const quota = { key: quotaKeys++, dimension: q.dimension, value: q.value ?? '', from: text(q.from), to: text(q.to), min: text(q.min), max: text(q.max) };
      // A name made from the group is made again when the group changes; only the editors' own names stay.
      return { ...quota, label: q.label === quotaName(quota) ? '' : q.label };
    }),
    pinned: newest.pinned,
    excluded: newest.excluded,
    seed: '',
  };
}

/** A whole number field: null when empty (the browser empties a number field it cannot read). */
function wholeNumber(value: string): number | null {
  return value.trim() === '' ? null : Number(value);
}

export type QuotaName = (quota: Pick<QuotaDraft, 'dimension' | 'value' | 'from' | 'to'>) => string;

/** Quotas named in the interface language when the editor gave no name ("Gender: Woman"). */
export function useQuotaName(): QuotaName {
  const { t } = useTranslation();
  return ({ dimension, value, from, to }) => {
    if (dimension === 'PERIOD') return t('selection.periodLabel', { from, to });
    const group =
      dimension === 'GOVERNMENT_LAYER' ? t(`layers.${value as (typeof GOVERNMENT_LAYERS)[number]}`)
      : dimension === 'GENDER' ? t(`genders.${value as (typeof GENDERS)[number]}`)
      : value;
    return t('selection.groupLabel', { dimension: t(`selection.dimensions.${dimension}`), value: group });
  };
}

/** The api's input for a draft; only the fields of each quota's own group are sent. */
export function selectionInput(draft: SelectionDraft, quotaName: QuotaName): SelectionInput {
  const quotas: QuotaInput[] = draft.quotas.map((q) => {
    const period = q.dimension === 'PERIOD';
    return {
      dimension: q.dimension,
      value: period ? null : q.value.trim(),
      from: period ? wholeNumber(q.from) : null,
      to: period ? wholeNumber(q.to) : null,
      min: wholeNumber(q.min),
      max: wholeNumber(q.max),
      label: q.label.trim() || quotaName(q),
    };
  });
  return { size: wholeNumber(draft.size), quotas, pinned: draft.pinned, excluded: draft.excluded, seed: draft.seed.trim() || null };
}
