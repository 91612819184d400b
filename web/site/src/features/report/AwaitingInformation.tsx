import { formatDateTime, useLang, useText } from '../../../../shared/i18n';
import type { components } from '../../../../shared/api';
import { awaitingText } from './text';

/** "Chờ bổ sung thông tin / Awaiting information": the owner unit waits for the reporter's answer,
 * since when, and until when at most its resolve deadline is paused. What was asked is never shown. */
export function AwaitingInformation({ awaiting }: { awaiting: components['schemas']['AwaitingInformation'] }) {
  const words = useText(awaitingText);
  const lang = useLang();
  return (
    <p class="notice" data-testid="awaiting-information">
      <strong>{words.title}</strong>{' '}
      {words.since(formatDateTime(awaiting.since, lang))}{' '}
      {awaiting.clock_paused_until ? words.pausedUntil(formatDateTime(awaiting.clock_paused_until, lang)) : words.notPaused}
    </p>
  );
}
