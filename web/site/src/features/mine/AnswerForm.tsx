import { useState } from 'preact/hooks';
import { useSite } from '../../app/context';
import { ApiError, unwrap } from '../../../../shared/api';
import { formatDateTime, pick, useLang, useText } from '../../../../shared/i18n';
import { Button, ChosenPhotos, TextAreaField, announce } from '../../../../shared/ui';
import { httpTransport, resizePhoto, trackingHeader, type MyReport } from '../offline';
import { answerText } from './text';
import type { ReporterReport } from './view';

const MAX_ANSWER_PHOTOS = 3;
const ANSWER_MAX = 2000;

type Question = ReporterReport['questions'][number];

/** The owner unit's questions as the reporter reads them, oldest first, each with the answer sent,
 * and under the one that waits the answer form. */
export function Questions({ kept, questions, onAnswered }: { kept: MyReport; questions: Question[]; onAnswered: () => void }) {
  const words = useText(answerText);
  if (questions.length === 0) return null;
  return (
    <section class="questions" aria-labelledby="questions-title" data-testid="questions">
      <h2 id="questions-title">{words.title}</h2>
      <ol class="question-list">
        {questions.map((question) => <QuestionAndAnswer key={question.number} kept={kept} question={question} onAnswered={onAnswered} />)}
      </ol>
    </section>
  );
}

/** One question, its answer, and while it waits the answer form: a text and up to three photos,
 * resized and uploaded like a new report's. */
function QuestionAndAnswer({ kept, question, onAnswered }: { kept: MyReport; question: Question; onAnswered: () => void }) {
  const words = useText(answerText);
  const lang = useLang();
  const { api } = useSite();
  const [text, setText] = useState('');
  const [photos, setPhotos] = useState<File[]>([]);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const addPhotos = (list: FileList | null) => {
    const chosen = [...photos, ...Array.from(list ?? [])].filter((file) => file.type.startsWith('image/'));
    setError(chosen.length > MAX_ANSWER_PHOTOS ? words.tooManyPhotos(MAX_ANSWER_PHOTOS) : null);
    setPhotos(chosen.slice(0, MAX_ANSWER_PHOTOS));
  };

  const submit = async (event: Event) => {
    event.preventDefault();
    const answer = text.trim();
    if (!answer) return setError(words.required);
    if (!kept.token || busy) return;
    setBusy(true);
    setError(null);
    try {
      const resized: Blob[] = [];
      for (const photo of photos) resized.push(await resizePhoto(photo));
      const receipt = unwrap(
        await api.POST('/reports/{report_id}/answers', {
          params: { path: { report_id: kept.report_id }, header: trackingHeader(kept.token) },
          body: { text: answer, photo_count: resized.length },
        }),
      );
      const transport = httpTransport(api);
      const sent = await Promise.all(receipt.uploads.map((form, index) => transport.upload(form, resized[index] as Blob)));
      const lost = sent.filter((outcome) => outcome !== 'done').length;
      announce(lost ? `${words.answered} ${words.photosLost(lost)}` : words.answered);
      onAnswered();
    } catch (caught) {
      setError(caught instanceof ApiError ? pick(caught.text, lang) : words.failed);
    } finally {
      setBusy(false);
    }
  };

  return (
    <li class="question" aria-labelledby={`question-${question.number}-title`} data-testid="question">
      <h3 id={`question-${question.number}-title`}>{words.numbered(question.number)}</h3>
      <blockquote class="question__text">{question.text}</blockquote>
      <p class="field__hint">
        {words.askedAt(formatDateTime(question.asked_at, lang))}
        {question.photo_requested ? ` ${words.photoRequested}` : ''}
      </p>
      {question.answer ? (
        <div data-testid="my-answer">
          <h4>{words.yourAnswer}</h4>
          <p>{question.answer}</p>
          {question.answer_photo_count > 0 && <p class="field__hint">{words.photosSent(question.answer_photos.length, question.answer_photo_count)}</p>}
        </div>
      ) : question.waiting && kept.token ? (
        <form class="answer-form" onSubmit={submit} noValidate aria-labelledby="answer-title" data-testid="answer-form">
          <h4 id="answer-title">{words.answerTitle}</h4>
          {error && <p class="field__error" role="alert">{error}</p>}
          <TextAreaField label={words.answer} name="answer" maxLength={ANSWER_MAX} value={text} hint={words.answerHint}
            onInput={(event) => setText(event.currentTarget.value)} />
          <fieldset>
            <legend>{words.photos}</legend>
            <p class="field__hint" id="answer-photos-hint">{words.photosHint(MAX_ANSWER_PHOTOS)}</p>
            <label class="btn btn--secondary">
              {words.choosePhotos}
              <input class="visually-hidden" type="file" name="answer_photos" accept="image/*" multiple aria-describedby="answer-photos-hint"
                disabled={photos.length >= MAX_ANSWER_PHOTOS}
                onChange={(event) => { addPhotos(event.currentTarget.files); event.currentTarget.value = ''; }} />
            </label>
            <ChosenPhotos photos={photos} testId="answer-photo-list" photoAlt={words.photoAlt} removeLabel={words.removePhoto}
              onRemove={(index) => setPhotos(photos.filter((_, other) => other !== index))} />
          </fieldset>
          <Button type="submit" busy={busy}>{words.send}</Button>
        </form>
      ) : question.waiting ? (
        <p class="field__hint">{words.onlyOwner}</p>
      ) : question.answer_erased ? (
        <p class="field__hint" data-testid="answer-erased">{words.erased}</p>
      ) : null}
    </li>
  );
}
