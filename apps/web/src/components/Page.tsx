import { Heading } from '@rijkshuisstijl-community/components-react';
import { ReactNode, useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { RouterLink } from './RouterLink';

export interface Crumb {
  to: string;
  label: string;
}

/** Where this screen sits: the screens above it, each a link. */
function Breadcrumbs({ trail }: { trail: Crumb[] }) {
  const { t } = useTranslation();
  return (
    <nav aria-label={t('app.breadcrumbs')} className="quire-breadcrumbs">
      <ol>
        {trail.map((crumb) => (
          <li key={crumb.to}>
            <RouterLink to={crumb.to}>{crumb.label}</RouterLink>
          </li>
        ))}
      </ol>
    </nav>
  );
}

/** A screen: its title is the one h1 and names the browser tab; `trail` leads back up. */
export function Page({ title, trail, children }: { title: string; trail?: Crumb[]; children?: ReactNode }) {
  const { t } = useTranslation();
  const documentTitle = t('app.pageTitle', { page: title });
  useEffect(() => {
    document.title = documentTitle;
  }, [documentTitle]);
  return (
    <>
      {trail && trail.length > 0 && <Breadcrumbs trail={trail} />}
      <Heading level={1}>{title}</Heading>
      {children}
    </>
  );
}
