import type { components } from '../../../../shared/api';

export type NewReport = components['schemas']['NewReport'];
export type UploadForm = components['schemas']['UploadForm'];
export type Receipt = components['schemas']['Receipt'];
export type ErrorBody = components['schemas']['Error'];

/**
 * A report made on this device and not yet wholly sent. It keeps the Idempotency-Key and the body
 * exactly as first sent: a retry with both gets the same receipt from the API, so however often the
 * connection drops, one report is filed.
 */
export interface QueuedReport {
  /** The Idempotency-Key (a random UUID v4), also the outbox's key. */
  key: string;
  body: NewReport;
  /** The photos as resized, in order: upload n goes to the receipt's uploads[n]. */
  photos: Blob[];
  queuedAt: string;
  /** Once filed: the report and where its photos go (the tracking token is kept in "my reports" only). */
  filed: { report_id: string; created_at: string; uploads: UploadForm[] } | null;
  /** How many photos are in storage (they go in order). */
  uploaded: number;
  /** Photos the storage refused (too large, wrong type) or no longer accepts (past the cutoff). */
  photosLost: number;
  attempts: number;
  /** Not tried again before this time (epoch ms). */
  nextAttemptAt: number;
  /** The API refused the report itself (a bad field): retrying cannot help; the reporter is told. */
  refusal: ErrorBody | null;
}

/** A report this device follows: its own (with the tracking token) or someone's it chose to follow (without). */
export interface MyReport {
  report_id: string;
  /** Never put in a URL or a log: it is the only proof that the device filed the report. */
  token: string | null;
  savedAt: string;
  category: string | null;
  description: string | null;
}
