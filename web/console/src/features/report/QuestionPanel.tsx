import { useState } from 'preact/hooks';
import { ApiError, unwrap } from '../../../../shared/api';
import { formatDateTime, pick, useLang, useText } from '../../../../shared/i18n';
import { announce, Button, Dialog, TextAreaField } from '../../../../shared/ui';
import { useConsole } from '../../app/context';
import type { ReportDetail } from './model';
import { PhotoGallery } from './Photos';
import { questionText } from './text';

const QUESTION_MAX = 2000;

interface QuestionPanelProps {
  report: ReportDetail;
  onReport: (report: ReportDetail) => void;
  reload: () => Promise<ReportDetail | null>;
}

type AskedQuestion = ReportDetail['questions'][number];

/**
 * The owner unit's questions to the reporter, oldest first: each with who asked and when, the one that
 * waits (and until when the resolve clock is paused), each answer with its own checked photos; and
 * "Ask the reporter", a dialog with the question and whether a photo is wanted. The system relays it;
 * the officer never sees how the reporter is reached.
 */
export function QuestionPanel({ report, onReport, reload }: QuestionPanelProps) {
  const words = useText(questionText);
  const lang = useLang();
  const { api } = useConsole();
  const [open, setOpen] = useState(false);
  const [text, setText] = useState('');
  const [photoRequested, setPhotoRequested] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [failure, setFailure] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const questions = report.questions;
  const mayAsk = report.allowed_actions.includes('ask');
  if (questions.length === 0 && !mayAsk) return null;
  const when = (iso: string) => <time dateTime={iso}>{formatDateTime(iso, lang)}</time>;

  const item = (question: AskedQuestion) => (
    <li key={question.number} class="question-item" data-testid="question-item" aria-labelledby={`question-${question.number}`}>
      <h3 id={`question-${question.number}`}>{words.numbered(question.number)}</h3>
      <p class="report-description" data-testid="question-text">{question.text}</p>
      <p class="field__hint">
        {words.askedAt} {when(question.asked_at)}{question.asked_by ? ` · ${question.asked_by}` : ''}
        {question.photo_requested ? ` · ${words.photoRequested}` : ''}
      </p>
      {question.waiting ? (
        <p class="notice" data-testid="question-waiting">
          {words.waiting}{' '}
          {question.clock_paused && question.clock_paused_until ? <>{words.pausedUntil} {when(question.clock_paused_until)}.</> : words.notPaused}
        </p>
      ) : question.answer ? (
        <div data-testid="answer">
          <h4>{words.answer}</h4>
          <p class="report-description">{question.answer}</p>
          {question.answered_at && <p class="field__hint">{when(question.answered_at)}</p>}
          {question.answer_photos.length > 0 && (
            <PhotoGallery photos={question.answer_photos} alt={(n) => words.answerPhotoAlt(question.number, n)} testId="answer-photos" />
          )}
        </div>
      ) : question.answer_erased ? (
        <p data-testid="answer-erased">{words.erased}</p>
      ) : (
        <p>{words.unanswered}</p>
      )}
    </li>
  );

  const close = () => {
    setOpen(false);
    setError(null);
    setFailure(null);
  };

  const ask = async (event: Event) => {
    event.preventDefault();
    if (busy) return;
    const trimmed = text.trim();
    if (!trimmed) {
      setError(words.required);
      return;
    }
    if (trimmed.length > QUESTION_MAX) {
      setError(words.tooLong(QUESTION_MAX));
      return;
    }
    setBusy(true);
    setFailure(null);
    try {
      const asked = unwrap(await api.POST('/officer/reports/{report_id}/questions', {
        params: { path: { report_id: report.report_id } },
        body: { text: trimmed, photo_requested: photoRequested, version: report.version },
      })) as ReportDetail;
      onReport(asked);
      setText('');
      setPhotoRequested(false);
      close();
      announce(words.asked);
    } catch (failed) {
      if (failed instanceof ApiError && failed.status === 409) await reload();
      const message = failed instanceof ApiError ? pick(failed.text, lang) : words.failed;
      setFailure(message);
      announce(message, 'assertive');
    } finally {
      setBusy(false);
    }
  };

  return (
    <section aria-labelledby="question-title" class="panel" data-testid="question">
      <h2 id="question-title">{words.title}</h2>
      {questions.length > 0 && <ol class="question-list">{questions.map(item)}</ol>}
      {mayAsk && (
        <Button variant="secondary" data-action="ask" onClick={() => setOpen(true)}>
          {words.ask}
        </Button>
      )}
      <Dialog open={open} title={words.ask} onClose={close} closeLabel={words.close}>
        <form noValidate onSubmit={(event) => void ask(event)}>
          {failure && <p class="notice notice--error" role="alert">{failure}</p>}
          <p class="field__hint">{words.relayed}</p>
          <TextAreaField label={words.question} name="question" value={text} error={error} hint={words.questionHint} maxLength={QUESTION_MAX}
            onInput={(event) => setText((event.currentTarget as HTMLTextAreaElement).value)} />
          <label class="check">
            <input type="checkbox" name="photo_requested" checked={photoRequested}
              onChange={(event) => setPhotoRequested((event.currentTarget as HTMLInputElement).checked)} />
            {words.askPhoto}
          </label>
          <p>
            <Button type="submit" busy={busy}>{busy ? words.working : words.send}</Button>
          </p>
        </form>
      </Dialog>
    </section>
  );
}
