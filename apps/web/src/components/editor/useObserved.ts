import { useEffect, useReducer } from 'react';
import * as Y from 'yjs';

/** Renders again whenever `type` itself changes (entries added, removed or replaced). */
export function useObserved(type: Y.Map<unknown> | Y.Array<Y.Map<unknown>> | undefined): void {
  const [, changed] = useReducer((n: number) => n + 1, 0);
  useEffect(() => {
    if (!type) return;
    const observer = (): void => changed();
    type.observe(observer);
    return () => type.unobserve(observer);
  }, [type]);
}
