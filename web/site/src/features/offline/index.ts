/** The reporting app's device side: the outbox and its sender, "my reports", photo resizing, the connection. */
export { reportingService, type Reporting } from './service';
export { trackingHeader } from './api';
export { httpTransport } from './transport';
export { deviceId } from './device';
export { resizePhoto, fitWithin, LONGEST_SIDE } from './resize';
export { ConnectionNotice, useOnline } from './Connection';
export { registerServiceWorker } from './register';
export type { MyReport, NewReport, QueuedReport } from './model';
export type { SendEvent } from './sender';
