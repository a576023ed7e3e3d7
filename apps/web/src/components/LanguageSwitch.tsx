import { Button } from '@rijkshuisstijl-community/components-react';
import { useId } from 'react';
import { useTranslation } from 'react-i18next';
import { currentLocale, LOCALES } from '../i18n';
import { useSwitchLocale } from '../session/session';

/**
 * One button per language, each named in its own language and marked pressed when current,
 * so it reads well whichever language is on.
 */
export function LanguageSwitch() {
  const { t } = useTranslation();
  const switchLocale = useSwitchLocale();
  const labelId = useId();
  const current = currentLocale();
  return (
    <div role="group" aria-labelledby={labelId} className="quire-language-switch">
      <span id={labelId} className="quire-visually-hidden">
        {t('app.language')}
      </span>
      {LOCALES.map((locale) => (
        <Button key={locale} appearance="subtle-button" lang={locale} pressed={locale === current} onClick={() => void switchLocale(locale)}>
          {t(`languages.${locale}`)}
        </Button>
      ))}
    </div>
  );
}
