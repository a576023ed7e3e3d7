import Collaboration from '@tiptap/extension-collaboration';
import CollaborationCaret from '@tiptap/extension-collaboration-caret';
import { Editor, useEditor, useEditorState } from '@tiptap/react';
import StarterKit from '@tiptap/starter-kit';
import { useEffect } from 'react';
import { CollabSession } from './collab-session';
import { BODY_FIELD } from './document-format';
import { useCollabStatus } from './useCollabSession';
import { countWords } from './words';

/**
 * Another person's caret: a line in their colour with their name. Hidden from screen readers,
 * which would read the names as part of the text; the presence list says who is there.
 */
function caret(user: Record<string, unknown>): HTMLElement {
  const caretElement = document.createElement('span');
  caretElement.className = 'quire-caret';
  caretElement.setAttribute('aria-hidden', 'true');
  caretElement.style.borderColor = String(user['color']);
  const label = document.createElement('span');
  label.className = 'quire-caret__label';
  label.style.backgroundColor = String(user['color']);
  label.textContent = String(user['name']);
  caretElement.append(label);
  return caretElement;
}

function textAttributes(labelledBy: string, editable: boolean): Record<string, string> {
  return { role: 'textbox', 'aria-multiline': 'true', 'aria-labelledby': labelledBy, 'aria-readonly': String(!editable), class: 'quire-editor__text' };
}

/**
 * The TipTap editor bound to the session's document: the body through y-prosemirror (TipTap's
 * Collaboration), others' carets through awareness. Editable only while the server lets this
 * person write; offline a writer goes on writing, and the changes merge on reconnect.
 */
export function usePortraitEditor(session: CollabSession, labelledBy: string): { editor: Editor; editable: boolean } {
  const status = useCollabStatus(session);
  const editable = status.access === 'read-write' && status.connection !== 'closed';
  const editor = useEditor(
    {
      extensions: [
        StarterKit.configure({
          // Collaboration brings its own undo, which undoes only this person's changes.
          undoRedo: false,
          heading: { levels: [2, 3] },
          // A portrait is prose: no code, rules, links, underline or strike-through.
          code: false,
          codeBlock: false,
          horizontalRule: false,
          link: false,
          underline: false,
          strike: false,
        }),
        Collaboration.configure({ document: session.doc, field: BODY_FIELD }),
        CollaborationCaret.configure({ provider: session.provider, user: session.user, render: caret }),
      ],
      editable,
      editorProps: { attributes: textAttributes(labelledBy, editable) },
    },
    [session],
  );

  useEffect(() => {
    if (editor.isEditable !== editable) editor.setOptions({ editable, editorProps: { attributes: textAttributes(labelledBy, editable) } });
  }, [editor, editable, labelledBy]);

  return { editor, editable };
}

/** Words in the text now, counted as the server counts them. */
export function useWordCount(editor: Editor): number {
  return useEditorState({ editor, selector: ({ editor: e }) => countWords(e.getText({ blockSeparator: '\n' })) });
}
