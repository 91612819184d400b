import type { ScreenProps } from '../../app/routes';
import { usePageTitle } from '../../app/title';

// Placeholder until the page lands (issue #15): the shell routes to it already.
export default function ExploreScreen(_props: ScreenProps) {
  usePageTitle('ExploreScreen');
  return <h1>ExploreScreen</h1>;
}
