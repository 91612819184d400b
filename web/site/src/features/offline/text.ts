import { defineText } from '../../../../shared/i18n';

export const offlineText = defineText(
  {
    offline: 'Bạn đang ngoại tuyến. Phản ánh được giữ trên máy này và tự gửi khi có mạng trở lại.',
    online: 'Đã có mạng trở lại. Đang gửi các phản ánh chờ gửi.',
  },
  {
    offline: 'You are offline. Reports are kept on this device and sent by themselves when the connection returns.',
    online: 'Back online. Sending the reports waiting to be sent.',
  },
);
