import { PUBLIC_STATUSES, type PublicStatus } from '../../app/status';

/**
 * How a state looks on the map and in the legend: a colour and a symbol, so that colour is never
 * the only clue (WCAG 1.4.1); the marker's title and the list say it in words too.
 */
export const STATUS_SYMBOL: Record<PublicStatus, string> = {
  ASSIGNED: '1',
  ACKNOWLEDGED: '2',
  IN_PROGRESS: '3',
  RESOLVED: '✓',
  CLOSED: '■',
};

export function markerClass(status: PublicStatus, overdue: boolean): string {
  return ['site-marker', `site-marker--${status.toLowerCase()}`, overdue ? 'site-marker--overdue' : ''].filter(Boolean).join(' ');
}

/**
 * The state a cluster is drawn in: the one most of its reports are in, a tie going to the state
 * earlier in the workflow (the work still to do is what the map should not hide).
 */
export function clusterStatus(statuses: readonly PublicStatus[]): PublicStatus | null {
  const counts = new Map<PublicStatus, number>();
  for (const status of statuses) counts.set(status, (counts.get(status) ?? 0) + 1);
  let best: PublicStatus | null = null;
  for (const status of PUBLIC_STATUSES) {
    const count = counts.get(status) ?? 0;
    if (count > 0 && (best === null || count > (counts.get(best) ?? 0))) best = status;
  }
  return best;
}

/** "12 phản ánh: 5 Đang xử lý, 7 Đã giải quyết": a cluster's name for whoever cannot see its colour. */
export function clusterLabel(statuses: readonly PublicStatus[], name: (status: PublicStatus) => string, total: (count: number) => string): string {
  const parts = PUBLIC_STATUSES.map((status) => [status, statuses.filter((each) => each === status).length] as const)
    .filter(([, count]) => count > 0)
    .map(([status, count]) => `${count} ${name(status)}`);
  return `${total(statuses.length)}: ${parts.join(', ')}`;
}
