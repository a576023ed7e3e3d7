import { useTranslation } from 'react-i18next';
import { useFormat } from '../../format';
import type { Portrait, PortraitPerson } from '../../graphql/portraits';
import { wordCountVerdict } from '../../components/editor/words';
import type { Project } from '../../graphql/operations';

/** How a portrait's team, status and length are written in lists and summaries. */
export function usePortraitLabels() {
  const { t, i18n } = useTranslation();
  const format = useFormat();
  const people = (list: PortraitPerson[]): string =>
    list.length ? new Intl.ListFormat(i18n.language, { type: 'conjunction' }).format(list.map((p) => p.displayName)) : t('portraits.nobody');
  return {
    person: (person: PortraitPerson | null): string => person?.displayName ?? t('portraits.nobody'),
    people,
    status: (portrait: Pick<Portrait, 'status'>): string => t(`portraits.statuses.${portrait.status}`),
    words: (portrait: Pick<Portrait, 'wordCount'>, project: Pick<Project, 'wordLimitMin' | 'wordLimitMax'>): string =>
      t('portraits.wordsValue', {
        count: format.number(portrait.wordCount),
        verdict: t(`portraits.verdicts.${wordCountVerdict(portrait.wordCount, project.wordLimitMin, project.wordLimitMax)}`),
      }),
  };
}
