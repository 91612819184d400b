import { defineText } from '../../../shared/i18n';

/** The report states' names, for every screen of the console (the API gives `status_label` only on the detail). */
export const statusText = defineText(
  {
    RECEIVED: 'Mới nhận',
    ASSIGNED: 'Chờ tiếp nhận',
    ACKNOWLEDGED: 'Đã tiếp nhận',
    IN_PROGRESS: 'Đang xử lý',
    RESOLVED: 'Đã giải quyết',
    CLOSED: 'Đã đóng',
    REJECTED: 'Bị từ chối',
    DUPLICATE: 'Trùng lặp',
  },
  {
    RECEIVED: 'Received',
    ASSIGNED: 'To acknowledge',
    ACKNOWLEDGED: 'Acknowledged',
    IN_PROGRESS: 'In progress',
    RESOLVED: 'Resolved',
    CLOSED: 'Closed',
    REJECTED: 'Rejected',
    DUPLICATE: 'Duplicate',
  },
);

export type StatusName = keyof (typeof statusText)['vi'];

export function statusLabel(words: (typeof statusText)['vi'], status: string): string {
  return status in words ? words[status as StatusName] : status;
}
