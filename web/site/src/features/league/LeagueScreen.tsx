import type { ScreenProps } from '../../app/routes';
import { usePageTitle } from '../../app/title';

// Placeholder until the page lands (issue #15): the shell routes to it already.
export default function LeagueScreen(_props: ScreenProps) {
  usePageTitle('LeagueScreen');
  return <h1>LeagueScreen</h1>;
}
