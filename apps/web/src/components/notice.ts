import { ReactNode, useEffect, useState } from 'react';
import { useLocation } from 'react-router';

/** Navigation state that carries news to the next screen ("your nomination is in"). */
export interface NoticeState {
  notice: string;
}

export function noticeState(notice: string): { state: NoticeState } {
  return { state: { notice } };
}

function noticeOf(state: unknown): string | undefined {
  const notice = (state as Partial<NoticeState> | null)?.notice;
  return typeof notice === 'string' ? notice : undefined;
}

/**
 * The screen's news for its status region: what the previous screen sent along, replaced by
 * what happens here. A new navigation (even to the same screen) starts with its own news.
 */
export function usePageNotice(): [ReactNode, (notice: ReactNode) => void] {
  const location = useLocation();
  const [notice, setNotice] = useState<ReactNode>(() => noticeOf(location.state));
  useEffect(() => {
    setNotice(noticeOf(location.state));
  }, [location.key, location.state]);
  return [notice, setNotice];
}
