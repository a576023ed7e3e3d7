import { Alert, Paragraph } from '@rijkshuisstijl-community/components-react';
import { useEffect, useId, useRef } from 'react';
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

/** Calls `onChange` when the server changes what this person may do (a workflow step, a new team). */
function useAccessChanges(session: CollabSession, onChange?: () => void): void {
  const { access } = useCollabStatus(session);
  const previous = useRef(access);
  useEffect(() => {
    if (previous.current === access) return;
    previous.current = access;
    onChange?.();
  }, [access, onChange]);
}

/**
 * A portrait's text being written together: the saving indicator, the text with its toolbar,
 * and beside it who is here, the length against the limits, and the sources and image.
 */
export function CollaborativeEditor({ session, wordLimits, onAccessChanged }: { session: CollabSession; wordLimits: { min: number; max: number }; onAccessChanged?: () => void }) {
  const { t } = useTranslation();
  const labelId = useId();
  const { editor, editable } = usePortraitEditor(session, labelId);
  const words = useWordCount(editor);
  const status = useCollabStatus(session);
  useLeaveGuard(session);
  useAccessChanges(session, onAccessChanged);

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
