import type { TFunction } from 'i18next';
import { useTranslation } from 'react-i18next';

/**
 * Words looked up when they are shown rather than when they were made: a notice kept in state
 * follows a change of language (a string made with t() at the time stays in the old language).
 */
export function Translated({ children }: { children: (t: TFunction) => string }) {
  const { t } = useTranslation();
  return <>{children(t)}</>;
}
