import { defineText } from '../../../shared/i18n';

/** The published states, in the order a report goes through them: the site's filters, legend and badges. */
export const PUBLIC_STATUSES = ['ASSIGNED', 'ACKNOWLEDGED', 'IN_PROGRESS', 'RESOLVED', 'CLOSED'] as const;
export type PublicStatus = (typeof PUBLIC_STATUSES)[number];

export const statusText = defineText(
  {
    ASSIGNED: 'Chờ tiếp nhận',
    ACKNOWLEDGED: 'Đã tiếp nhận',
    IN_PROGRESS: 'Đang xử lý',
    RESOLVED: 'Đã giải quyết',
    CLOSED: 'Đã đóng',
  },
  {
    ASSIGNED: 'Awaiting acknowledgement',
    ACKNOWLEDGED: 'Acknowledged',
    IN_PROGRESS: 'In progress',
    RESOLVED: 'Resolved',
    CLOSED: 'Closed',
  },
);

export function isPublicStatus(value: string | null | undefined): value is PublicStatus {
  return (PUBLIC_STATUSES as readonly string[]).includes(value ?? '');
}

/** A state's name in the current language; an unknown code is shown as it is. */
export function statusLabel(words: (typeof statusText)['vi'], status: string): string {
  return isPublicStatus(status) ? words[status] : status;
}
