import { createContext } from 'preact';
import { useContext } from 'preact/hooks';

export interface Notice {
  kind: 'success' | 'error';
  text: string;
}

/** Shows a short message in the page's live region (success: polite; error: assertive). */
export const NoticeContext = createContext<(notice: Notice | null) => void>(() => undefined);

export function useNotice(): (notice: Notice | null) => void {
  return useContext(NoticeContext);
}

export function NoticeBar({ notice, onDismiss }: { notice: Notice | null; onDismiss: () => void }) {
  return (
    <div class="notice-area" role={notice?.kind === 'error' ? 'alert' : 'status'}>
      {notice && (
        <p class={`notice notice-${notice.kind}`}>
          <span>{notice.text}</span>
          <button type="button" class="icon-button" aria-label="×" onClick={onDismiss}>
            ×
          </button>
        </p>
      )}
    </div>
  );
}
