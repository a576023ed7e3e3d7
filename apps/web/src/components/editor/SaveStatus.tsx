import { Button } from '@rijkshuisstijl-community/components-react';
import { useTranslation } from 'react-i18next';
import type { nl } from '../../i18n/nl';
import { CollabSession, CollabStatus } from './collab-session';
import { useCollabStatus } from './useCollabSession';

type StatusKey = keyof typeof nl.portraitEditor.status;

/** What the indicator says: "saved" only once the server has stored every change made here. */
export function statusKey(status: CollabStatus): StatusKey {
  if (status.connection === 'closed') return status.closedBecause === 'forbidden' ? 'forbidden' : status.closedBecause === 'unknown-document' ? 'gone' : 'closed';
  if (status.connection === 'connecting') return 'connecting';
  if (status.refused === 'document-too-large' && status.unsaved) return 'tooLarge';
  if (status.access === 'read-only') return status.unsaved ? 'notSaved' : 'readOnly';
  if (status.connection === 'offline') return 'offline';
  return status.unsaved ? 'saving' : 'saved';
}

/** The saving indicator, a polite live region, and a way back after the server closed the connection. */
export function SaveStatus({ session }: { session: CollabSession }) {
  const { t } = useTranslation();
  const status = useCollabStatus(session);
  const key = statusKey(status);
  return (
    <div className="quire-editor__status">
      <p role="status" className={`quire-save-status quire-save-status--${key}`} data-state={key}>
        {t(`portraitEditor.status.${key}`)}
      </p>
      {status.connection === 'closed' && (
        <Button appearance="secondary-action-button" onClick={() => session.reconnect()}>
          {t('portraitEditor.reconnect')}
        </Button>
      )}
    </div>
  );
}
