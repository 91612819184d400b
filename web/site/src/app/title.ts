import { useEffect } from 'preact/hooks';

const SITE_NAME = 'Phản ánh hiện trường';

/** Each page says what it is in the tab and to screen readers (WCAG 2.4.2), in the current language. */
export function usePageTitle(title: string | null | undefined): void {
  useEffect(() => {
    document.title = title ? `${title} — ${SITE_NAME}` : SITE_NAME;
  }, [title]);
}
