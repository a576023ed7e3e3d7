import { useEffect, useRef } from 'react';

/** Calls `onChange` with `value` each time it changes after the first render (not for the first value). */
export function useOnChange<T>(value: T, onChange: (value: T) => void): void {
  const seen = useRef(value);
  // The latest callback, so callers need not keep theirs stable.
  const latest = useRef(onChange);
  latest.current = onChange;
  useEffect(() => {
    if (Object.is(seen.current, value)) return;
    seen.current = value;
    latest.current(value);
  }, [value]);
}
