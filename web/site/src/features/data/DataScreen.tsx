import type { ScreenProps } from '../../app/routes';
import { usePageTitle } from '../../app/title';

// Placeholder until the page lands (issue #15): the shell routes to it already.
export default function DataScreen(_props: ScreenProps) {
  usePageTitle('DataScreen');
  return <h1>DataScreen</h1>;
}
