import { useEffect } from 'preact/hooks';
import { useText } from '../../../../shared/i18n';
import { usePageTitle } from '../../app/title';
import { API_REFERENCE } from '../../app/Layout';
import { docsText } from './text';

/**
 * `/docs/api` is one of the site's pages at the edge; the reference itself is a static page of its
 * own (Swagger UI, built into docs/api/), so this page only sends the browser on to it.
 */
export default function ApiDocsScreen() {
  const words = useText(docsText);
  usePageTitle(words.title);
  useEffect(() => {
    window.location.replace(API_REFERENCE);
  }, []);
  return (
    <>
      <h1>{words.title}</h1>
      <p><a href={API_REFERENCE}>{words.open}</a></p>
    </>
  );
}
