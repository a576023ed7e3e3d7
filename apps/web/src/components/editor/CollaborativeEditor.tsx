import { Alert, Paragraph } from '@rijkshuisstijl-community/components-react';
import { useEffect, useId } from 'react';
import { useTranslation } from 'react-i18next';
import { CollabSession } from './collab-session';
import { MetadataPanel } from './MetadataPanel';
import { PortraitText } from './PortraitText';
import { PresenceList } from './PresenceList';
import { SaveStatus } from './SaveStatus';
import { useCollabStatus } from './useCollabSession';
import { usePortraitEditor, useWordCount } from './usePortraitEditor';
import { WordCount } from './WordCount';
import './editor.css';

/** Asks before the page is left while changes made here are not stored yet. */
function useLeaveGuard(session: CollabSession): void {
  const { unsaved } = useCollabStatus(session);
  useEffect(() => {
    if (!unsaved) return;
    const guard = (event: BeforeUnloadEvent): void => event.preventDefault();
    window.addEventListener('beforeunload', guard);
    return () => window.removeEventListener('beforeunload', guard);
  }, [unsaved]);
}

/**
 * A portrait's text being written together: the saving indicator, the text with its toolbar,
 * and beside it who is here, the length against the limits, and the sources and image.
 */
export function CollaborativeEditor({ session, wordLimits }: { session: CollabSession; wordLimits: { min: number; max: number } }) {
  const { t } = useTranslation();
  const labelId = useId();
  const { editor, editable } = usePortraitEditor(session, labelId);
  const words = useWordCount(editor);
  const status = useCollabStatus(session);
  useLeaveGuard(session);

  return (
    <div className="quire-workspace">
      <div className="quire-workspace__main">
        <SaveStatus session={session} />
        {!editable && status.connection !== 'closed' && (
          <Alert type="info">
            <Paragraph>{t('portraitEditor.readOnlyNotice')}</Paragraph>
          </Alert>
        )}
        <PortraitText editor={editor} editable={editable} labelId={labelId} />
      </div>
      <div className="quire-workspace__side">
        <PresenceList session={session} />
        <WordCount count={words} min={wordLimits.min} max={wordLimits.max} />
        <MetadataPanel session={session} />
      </div>
    </div>
  );
}
