import { Editor, useEditorState } from '@tiptap/react';
import { KeyboardEvent, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { nl } from '../../i18n/nl';

interface Tool {
  label: `portraitEditor.tools.${keyof typeof nl.portraitEditor.tools}`;
  /** Pressed when the selection has this format; tools without it are plain buttons. */
  active?: (editor: Editor) => boolean;
  can: (editor: Editor) => boolean;
  run: (editor: Editor) => void;
}

const TOOLS: readonly Tool[] = [
  {
    label: 'portraitEditor.tools.heading',
    active: (e) => e.isActive('heading', { level: 2 }),
    can: (e) => e.can().toggleHeading({ level: 2 }),
    run: (e) => e.chain().focus().toggleHeading({ level: 2 }).run(),
  },
  {
    label: 'portraitEditor.tools.subheading',
    active: (e) => e.isActive('heading', { level: 3 }),
    can: (e) => e.can().toggleHeading({ level: 3 }),
    run: (e) => e.chain().focus().toggleHeading({ level: 3 }).run(),
  },
  { label: 'portraitEditor.tools.bold', active: (e) => e.isActive('bold'), can: (e) => e.can().toggleBold(), run: (e) => e.chain().focus().toggleBold().run() },
  { label: 'portraitEditor.tools.italic', active: (e) => e.isActive('italic'), can: (e) => e.can().toggleItalic(), run: (e) => e.chain().focus().toggleItalic().run() },
  {
    label: 'portraitEditor.tools.bulletList',
    active: (e) => e.isActive('bulletList'),
    can: (e) => e.can().toggleBulletList(),
    run: (e) => e.chain().focus().toggleBulletList().run(),
  },
  {
    label: 'portraitEditor.tools.orderedList',
    active: (e) => e.isActive('orderedList'),
    can: (e) => e.can().toggleOrderedList(),
    run: (e) => e.chain().focus().toggleOrderedList().run(),
  },
  {
    label: 'portraitEditor.tools.quote',
    active: (e) => e.isActive('blockquote'),
    can: (e) => e.can().toggleBlockquote(),
    run: (e) => e.chain().focus().toggleBlockquote().run(),
  },
  { label: 'portraitEditor.tools.undo', can: (e) => e.can().undo(), run: (e) => e.chain().focus().undo().run() },
  { label: 'portraitEditor.tools.redo', can: (e) => e.can().redo(), run: (e) => e.chain().focus().redo().run() },
];

/**
 * The formatting buttons above the text, as an ARIA toolbar: one tab stop, arrow keys move
 * between the buttons, and format buttons say whether they are on (aria-pressed).
 */
export function EditorToolbar({ editor, controls }: { editor: Editor; controls: string }) {
  const { t } = useTranslation();
  const [focused, setFocused] = useState(0);
  const buttons = useRef<(HTMLButtonElement | null)[]>([]);
  const states = useEditorState({
    editor,
    selector: ({ editor: e }) => TOOLS.map((tool) => ({ active: tool.active?.(e) ?? null, enabled: e.isEditable && tool.can(e) })),
  });

  function onKeyDown(event: KeyboardEvent<HTMLDivElement>): void {
    const moves: Record<string, number> = { ArrowRight: focused + 1, ArrowLeft: focused - 1, Home: 0, End: TOOLS.length - 1 };
    const next = moves[event.key];
    if (next === undefined) return;
    event.preventDefault();
    const index = (next + TOOLS.length) % TOOLS.length;
    setFocused(index);
    buttons.current[index]?.focus();
  }

  return (
    <div role="toolbar" aria-label={t('portraitEditor.toolbar')} aria-controls={controls} className="quire-editor__toolbar" onKeyDown={onKeyDown}>
      {TOOLS.map((tool, index) => (
        <button
          key={tool.label}
          ref={(element) => {
            buttons.current[index] = element;
          }}
          type="button"
          className="utrecht-button utrecht-button--subtle quire-editor__tool"
          tabIndex={index === focused ? 0 : -1}
          aria-pressed={states[index].active ?? undefined}
          // Disabled buttons stay focusable in a toolbar, so arrow keys never skip over them.
          aria-disabled={!states[index].enabled}
          onFocus={() => setFocused(index)}
          onClick={() => states[index].enabled && tool.run(editor)}
        >
          {t(tool.label)}
        </button>
      ))}
    </div>
  );
}
