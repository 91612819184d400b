import { defineText } from '../../../../shared/i18n';

export const assignmentText = defineText(
  {
    title: 'Giao cho cán bộ',
    assignee: 'Người xử lý',
    nobody: 'Chưa giao cho ai',
    choose: 'Cán bộ của đơn vị',
    chooseHint: 'Đơn vị vẫn là nơi chịu trách nhiệm; người được giao là người trực tiếp xử lý và sẽ nhận thư báo.',
    clear: '— Không giao cho ai —',
    option: (name: string, open: number, overdue: number) => `${name} (${open} đang mở, ${overdue} quá hạn)`,
    note: 'Ghi chú cho người được giao (không bắt buộc)',
    save: 'Lưu người xử lý',
    saved: (name: string | null) => (name ? `Đã giao cho ${name}.` : 'Đã bỏ giao.'),
    loadingTeam: 'Đang tải danh sách cán bộ…',
  },
  {
    title: 'Assign to an officer',
    assignee: 'Assignee',
    nobody: 'Nobody named',
    choose: 'Officer of the unit',
    chooseHint: 'The unit stays the owner; the assignee is who works it and is alerted by e-mail.',
    clear: '— Nobody —',
    option: (name: string, open: number, overdue: number) => `${name} (${open} open, ${overdue} overdue)`,
    note: 'Note for the assignee (optional)',
    save: 'Save assignee',
    saved: (name: string | null) => (name ? `Assigned to ${name}.` : 'Nobody is named now.'),
    loadingTeam: 'Loading the officers…',
  },
);
