import { Heading } from '@rijkshuisstijl-community/components-react';
import { ReactNode, useEffect } from 'react';
import { useTranslation } from 'react-i18next';

/** A screen: its title is the one h1 and names the browser tab. */
export function Page({ title, children }: { title: string; children?: ReactNode }) {
  const { t } = useTranslation();
  const documentTitle = t('app.pageTitle', { page: title });
  useEffect(() => {
    document.title = documentTitle;
  }, [documentTitle]);
  return (
    <>
      <Heading level={1}>{title}</Heading>
      {children}
    </>
  );
}
