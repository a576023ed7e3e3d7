import { ChangeEvent, RefObject, useEffect, useRef } from 'react';
import * as Y from 'yjs';

type TextControl = HTMLInputElement | HTMLTextAreaElement;

/** Marks the transactions of this binding, so it does not re-apply its own changes. */
const FROM_THIS_FIELD = Symbol('text field');

/** Where an offset ends up after a change given as a Yjs delta. */
function shift(offset: number, delta: Y.YTextEvent['delta']): number {
  let position = 0;
  let result = offset;
  for (const op of delta) {
    if (op.retain !== undefined) position += op.retain;
    else if (typeof op.insert === 'string') {
      if (position <= result) result += op.insert.length;
      position += op.insert.length;
    } else if (op.delete !== undefined) {
      if (position < result) result -= Math.min(op.delete, result - position);
    }
  }
  return result;
}

/**
 * Binds a form field to a Y.Text: typing changes only the characters that changed (so two
 * people typing in one field both keep their words), and others' changes appear in the field
 * without moving the caret away from where this person is typing.
 */
export function useYText<T extends TextControl>(text: Y.Text | undefined): { ref: RefObject<T | null>; onChange(event: ChangeEvent<T>): void } {
  const ref = useRef<T>(null);

  useEffect(() => {
    const field = ref.current;
    if (!field || !text) return;
    field.value = text.toString();
    const observer = (event: Y.YTextEvent, transaction: Y.Transaction): void => {
      if (transaction.origin === FROM_THIS_FIELD) return;
      const focused = document.activeElement === field;
      const [start, end] = [field.selectionStart ?? 0, field.selectionEnd ?? 0];
      field.value = text.toString();
      if (focused) field.setSelectionRange(shift(start, event.delta), shift(end, event.delta));
    };
    text.observe(observer);
    return () => text.unobserve(observer);
  }, [text]);

  function onChange(event: ChangeEvent<T>): void {
    if (!text?.doc) return;
    const before = text.toString();
    const after = event.currentTarget.value;
    let prefix = 0;
    while (prefix < before.length && prefix < after.length && before[prefix] === after[prefix]) prefix++;
    let suffix = 0;
    while (suffix < before.length - prefix && suffix < after.length - prefix && before[before.length - 1 - suffix] === after[after.length - 1 - suffix]) suffix++;
    const removed = before.length - prefix - suffix;
    const inserted = after.slice(prefix, after.length - suffix);
    text.doc.transact(() => {
      if (removed > 0) text.delete(prefix, removed);
      if (inserted) text.insert(prefix, inserted);
    }, FROM_THIS_FIELD);
  }

  return { ref, onChange };
}
