import { Button, Footer, PageHeader, Paragraph, SkipLink } from '@rijkshuisstijl-community/components-react';
import { RefObject, useEffect, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, Outlet, useLocation } from 'react-router';
import { NAVIGATION } from '../navigation';
import { useMe, useProfileLocale, useSignOut } from '../session/session';
import { LanguageSwitch } from './LanguageSwitch';
import { NotificationBell } from './NotificationBell';
import { NavigationLink } from './RouterLink';

/** Moves focus to the main content after a client-side navigation, as a page load would. */
function useFocusMainOnNavigation(): RefObject<HTMLElement | null> {
  const main = useRef<HTMLElement>(null);
  const { pathname } = useLocation();
  const shownPath = useRef(pathname);
  useEffect(() => {
    if (shownPath.current === pathname) return;
    shownPath.current = pathname;
    main.current?.focus();
  }, [pathname]);
  return main;
}

export function Layout() {
  const { t } = useTranslation();
  const { me } = useMe();
  const signOut = useSignOut();
  const main = useFocusMainOnNavigation();
  useProfileLocale(me);

  return (
    <div className="quire-app">
      <SkipLink href="#main">{t('app.skipLink')}</SkipLink>
      <PageHeader className="quire-header">
        <div className="quire-header__bar quire-width">
          <Link to="/" className="quire-brand">
            {t('app.name')}
            <span className="quire-brand__tagline">{t('app.tagline')}</span>
          </Link>
          <div className="quire-header__tools">
            <LanguageSwitch />
            {me && <NotificationBell />}
            {me && (
              <div className="quire-header__person">
                <span>{t('app.signedInAs', { name: me.displayName })}</span>
                <Button appearance="secondary-action-button" onClick={() => void signOut()}>
                  {t('app.signOut')}
                </Button>
              </div>
            )}
          </div>
        </div>
        {me && (
          <nav aria-label={t('app.mainNav')} className="quire-nav">
            <ul className="quire-nav__list quire-width">
              {NAVIGATION.map((item) => (
                <li key={item.to}>
                  <NavigationLink to={item.to} end={item.end} className="quire-nav__link">
                    {t(item.label)}
                  </NavigationLink>
                </li>
              ))}
            </ul>
          </nav>
        )}
      </PageHeader>
      <main id="main" ref={main} tabIndex={-1} className="quire-main quire-width">
        <Outlet />
      </main>
      <Footer className="quire-footer">
        <Paragraph>{t('app.footer')}</Paragraph>
      </Footer>
    </div>
  );
}
