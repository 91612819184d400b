import { defineText } from '../../../../shared/i18n';

export const docsText = defineText(
  { title: 'Tài liệu API', open: 'Mở tài liệu API (OpenAPI, Swagger UI)' },
  { title: 'API reference', open: 'Open the API reference (OpenAPI, Swagger UI)' },
);
