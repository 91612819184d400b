import { formatDateTime, type Lang } from '../../../../shared/i18n';
import { countdown, urgencyOf } from './clock';
import type { queueText } from './text';
import { useNow } from './useQueue';

interface DeadlineClockProps {
  dueAt: string | null;
  kind: 'acknowledge' | 'resolve';
  /** Passed in rather than subscribed to: a queue has hundreds of clocks, each one hook fewer counts. */
  words: (typeof queueText)['vi'];
  lang: Lang;
}

/** "3 working days 2 h left to resolve" / "5 h 10 min late to acknowledge", ticking; the exact time on hover and to screen readers. */
export function DeadlineClock({ dueAt, kind, words, lang }: DeadlineClockProps) {
  const now = useNow();
  if (!dueAt) return <span class="clock">{words.noDeadline}</span>;
  const left = countdown(dueAt, kind, now);
  const parts = [
    left.days > 0 ? words.days(left.days) : '',
    left.hours > 0 || left.days > 0 ? words.hours(left.hours) : '',
    left.days === 0 ? words.minutes(left.minutes) : '',
  ].filter(Boolean);
  const span = parts.join(' ');
  const what = kind === 'acknowledge' ? words.toAcknowledge : words.toResolve;
  return (
    <time class={`clock clock--${urgencyOf(dueAt, now)}`} dateTime={dueAt} title={formatDateTime(dueAt, lang)} data-testid="deadline-clock">
      {left.overdue ? words.late(what, span) : words.left(what, span)}
      <span class="visually-hidden"> ({formatDateTime(dueAt, lang)})</span>
    </time>
  );
}
