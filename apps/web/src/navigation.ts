import type { nl } from './i18n/nl';

export interface NavigationItem {
  to: string;
  label: `nav.${keyof typeof nl.nav}`;
  /** Current only on exactly this path, not below it. */
  end?: boolean;
}

/** The main menu for signed-in people; screens of later issues add their entry here. */
export const NAVIGATION: readonly NavigationItem[] = [
  { to: '/', label: 'nav.projects', end: true },
  { to: '/profile', label: 'nav.profile' },
];
