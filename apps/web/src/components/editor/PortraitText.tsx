import { Editor, EditorContent } from '@tiptap/react';
import { useId } from 'react';
import { useTranslation } from 'react-i18next';
import { EditorToolbar } from './EditorToolbar';

/** The text with its toolbar; `labelId` names the text (the id usePortraitEditor was given). */
export function PortraitText({ editor, editable, labelId }: { editor: Editor; editable: boolean; labelId: string }) {
  const { t } = useTranslation();
  const textId = useId();
  return (
    <div className="quire-editor">
      <p id={labelId} className="quire-editor__label">
        {t('portraitEditor.text')}
      </p>
      {editable && <EditorToolbar editor={editor} controls={textId} />}
      <EditorContent editor={editor} id={textId} />
    </div>
  );
}
