import type { ScreenProps } from '../../app/routes';
import { usePageTitle } from '../../app/title';

// Placeholder until the page lands (issue #15): the shell routes to it already.
export default function ReportScreen(_props: ScreenProps) {
  usePageTitle('ReportScreen');
  return <h1>ReportScreen</h1>;
}
