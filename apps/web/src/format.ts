import { useTranslation } from 'react-i18next';
import type { ProjectRole } from './graphql/operations';

/** Dates, numbers and role lists written the way the interface language writes them. */
export function useFormat() {
  const { t, i18n } = useTranslation();
  const locale = i18n.language;
  return {
    dateTime: (iso: string) => new Intl.DateTimeFormat(locale, { dateStyle: 'long', timeStyle: 'short' }).format(new Date(iso)),
    date: (iso: string) => new Intl.DateTimeFormat(locale, { dateStyle: 'long' }).format(new Date(iso)),
    number: (n: number) => new Intl.NumberFormat(locale).format(n),
    roles: (roles: readonly ProjectRole[]) => new Intl.ListFormat(locale, { type: 'conjunction' }).format(roles.map((r) => t(`roles.${r}`))),
  };
}

/** Two years as a span ("1798–1872", "1798–", "–1872"); empty when neither is known. */
export function yearSpan(from: number | null, to: number | null): string {
  if (from === null && to === null) return '';
  return `${from ?? ''}–${to ?? ''}`;
}
