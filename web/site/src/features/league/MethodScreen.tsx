import type { ScreenProps } from '../../app/routes';
import { usePageTitle } from '../../app/title';

// Placeholder until the page lands (issue #15): the shell routes to it already.
export default function MethodScreen(_props: ScreenProps) {
  usePageTitle('MethodScreen');
  return <h1>MethodScreen</h1>;
}
