import { Button, Paragraph } from '@rijkshuisstijl-community/components-react';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { QueryProblem } from './feedback';

interface LoadMoreProps {
  /** How many are shown of how many, e.g. "20 of 45 events"; announced when it changes. */
  count: string;
  hasNextPage: boolean;
  loadMore(): Promise<unknown>;
}

/** Below a paged list: how much of it is shown, and a button for the next page. */
export function LoadMore({ count, hasNextPage, loadMore }: LoadMoreProps) {
  const { t } = useTranslation();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);

  async function onClick(): Promise<void> {
    setBusy(true);
    setError(null);
    try {
      await loadMore();
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  }

  return (
    <div className="quire-load-more">
      <Paragraph aria-live="polite">{count}</Paragraph>
      {error !== null && <QueryProblem error={error} />}
      {hasNextPage && (
        <Button appearance="secondary-action-button" busy={busy} onClick={() => void onClick()}>
          {t('loadMore')}
        </Button>
      )}
    </div>
  );
}
