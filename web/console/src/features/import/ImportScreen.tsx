import './import.css';
import { useEffect, useRef, useState } from 'preact/hooks';
import { ApiError, unwrap } from '../../../../shared/api';
import { pick, useLang, useText, type Lang } from '../../../../shared/i18n';
import { announce, Button } from '../../../../shared/ui';
import { useConsole } from '../../app/context';
import { checkCsvText, EXAMPLES, HEADERS, readCsvFile, templateCsv, type ImportKind } from './csvFile';
import { fieldChanges, showValue, totals, type KindDiff, type Row } from './diff';
import { refusedResult, requestBody, type ImportResult, type Source, type Texts } from './request';
import { importText } from './text';

type Words = typeof importText.vi;

const KINDS: readonly ImportKind[] = ['units', 'officers', 'rules'];

const EMPTY: Source = { text: '', problem: null, rows: 0 };

function download(kind: ImportKind): void {
  const blob = new Blob([templateCsv(HEADERS[kind], EXAMPLES[kind])], { type: 'text/csv;charset=utf-8' });
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = `${kind}.csv`;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

function SourceField({ kind, source, words, lang, onChange }: {
  kind: ImportKind;
  source: Source;
  words: Words;
  lang: Lang;
  onChange: (source: Source) => void;
}) {
  const name = words[kind];
  const statusId = `import-${kind}-status`;
  const columnsId = `import-${kind}-columns`;
  return (
    <fieldset class="import-source">
      <legend>{name}</legend>
      <p id={columnsId} class="field__hint">
        {words.columns(HEADERS[kind].join(', '))}
      </p>
      <div class="field">
        <label class="field__label" for={`import-${kind}-file`}>
          {words.chooseFile(name.toLowerCase())}
        </label>
        <input
          id={`import-${kind}-file`}
          name={`${kind}_file`}
          type="file"
          accept=".csv,text/csv"
          class="import-source__file"
          aria-describedby={`${columnsId} ${statusId}`}
          onChange={async (event) => {
            const file = event.currentTarget.files?.[0];
            if (!file) return;
            onChange(await readCsvFile(file, HEADERS[kind]));
          }}
        />
      </div>
      <div class="field">
        <label class="field__label" for={`import-${kind}-text`}>
          {words.paste(name.toLowerCase())}
        </label>
        <textarea
          id={`import-${kind}-text`}
          name={`${kind}_csv`}
          class="input input--area import-source__text"
          spellcheck={false}
          value={source.text}
          aria-describedby={statusId}
          aria-invalid={source.problem ? true : undefined}
          onInput={(event) => {
            const text = event.currentTarget.value;
            onChange(text.trim() ? checkCsvText(text, HEADERS[kind]) : EMPTY);
          }}
        />
      </div>
      <p id={statusId} class={source.problem ? 'field__error' : 'import-source__status'}>
        {source.problem ? pick(source.problem, lang) : source.text.trim() ? words.rowsRead(source.rows) : ''}
      </p>
      <Button variant="link" onClick={() => download(kind)}>
        {words.template(name.toLowerCase())}
      </Button>
    </fieldset>
  );
}

function AddedTable({ rows, caption }: { rows: Row[]; caption: string }) {
  const columns = [...new Set(rows.flatMap((row) => Object.keys(row)))];
  return (
    <div class="import-scroll">
      <table class="import-table">
        <caption>{caption}</caption>
        <thead>
          <tr>{columns.map((column) => <th key={column} scope="col">{column}</th>)}</tr>
        </thead>
        <tbody>
          {rows.map((row, index) => (
            <tr key={index}>
              {columns.map((column) => <td key={column}>{showValue(row[column])}</td>)}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function KindResult({ kind, diff, words }: { kind: ImportKind; diff: KindDiff; words: Words }) {
  const name = words[kind];
  return (
    <section class="import-kind" aria-labelledby={`result-${kind}`}>
      <h3 id={`result-${kind}`}>
        {name}: {words.added(diff.added.length)} · {words.changed(diff.changed.length)} · {words.unchanged(diff.unchanged)}
      </h3>
      {diff.added.length > 0 && <AddedTable rows={diff.added} caption={`${name} — ${words.added(diff.added.length)}`} />}
      {diff.changed.length > 0 && (
        <div class="import-scroll">
          <table class="import-table">
            <caption>{`${name} — ${words.changed(diff.changed.length)}`}</caption>
            <thead>
              <tr>
                <th scope="col">{words.field}</th>
                <th scope="col">{words.before}</th>
                <th scope="col">{words.after}</th>
              </tr>
            </thead>
            {diff.changed.map((change) => (
              <tbody key={change.id}>
                <tr class="import-table__record">
                  <th scope="rowgroup" colSpan={3}><code>{change.id}</code></th>
                </tr>
                {fieldChanges(change).map((entry) => (
                  <tr key={entry.field}>
                    <th scope="row">{entry.field}</th>
                    <td class="import-table__before"><del>{entry.before}</del></td>
                    <td class="import-table__after"><ins>{entry.after}</ins></td>
                  </tr>
                ))}
              </tbody>
            ))}
          </table>
        </div>
      )}
    </section>
  );
}

function Result({ result, heading, words, lang }: { result: ImportResult; heading: string; words: Words; lang: Lang }) {
  const title = useRef<HTMLHeadingElement>(null);
  useEffect(() => title.current?.focus(), [result]);
  const sum = totals(result.diff);
  const { gaps, overlaps } = result.rule_check;
  return (
    <section class="import-result" aria-labelledby="import-result-title">
      <h2 id="import-result-title" ref={title} tabIndex={-1}>
        {heading}
      </h2>
      <p data-testid="import-totals">{words.totals(sum.added, sum.changed, sum.unchanged)}</p>
      <section aria-labelledby="import-errors-title">
        <h3 id="import-errors-title">{words.errors(result.errors.length)}</h3>
        {result.errors.length === 0 ? (
          <p>{words.noErrors}</p>
        ) : (
          <div class="import-scroll">
            <table class="import-table import-table--errors">
              <caption class="visually-hidden">{words.errors(result.errors.length)}</caption>
              <thead>
                <tr>
                  <th scope="col">{words.file}</th>
                  <th scope="col">{words.line}</th>
                  <th scope="col">{words.field}</th>
                  <th scope="col">{words.message}</th>
                </tr>
              </thead>
              <tbody>
                {result.errors.map((error, index) => (
                  <tr key={index}>
                    <td>{words[error.file]}</td>
                    <td>{error.line}</td>
                    <td>{error.field ?? '—'}</td>
                    <td>{pick(error.message, lang)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>
      <section aria-labelledby="import-check-title">
        <h3 id="import-check-title">{words.ruleCheck}</h3>
        {gaps.length === 0 && overlaps.length === 0 && <p>{words.ruleCheckOk}</p>}
        {gaps.length > 0 && (
          <>
            <h4>{words.gaps(gaps.length)}</h4>
            <ul class="import-problems">{gaps.map((gap, index) => <li key={index}>{pick(gap.text, lang)}</li>)}</ul>
          </>
        )}
        {overlaps.length > 0 && (
          <>
            <h4>{words.overlaps(overlaps.length)}</h4>
            <ul class="import-problems">{overlaps.map((overlap, index) => <li key={index}>{pick(overlap.text, lang)}</li>)}</ul>
          </>
        )}
      </section>
      {KINDS.map((kind) => (
        <KindResult key={kind} kind={kind} diff={result.diff[kind] as KindDiff} words={words} />
      ))}
    </section>
  );
}

export default function ImportScreen() {
  const { api } = useConsole();
  const lang = useLang();
  const words = useText(importText);
  const [texts, setTexts] = useState<Texts>({ units: EMPTY, officers: EMPTY, rules: EMPTY });
  const [result, setResult] = useState<{ result: ImportResult; heading: string; checked: Texts | null } | null>(null);
  const [busy, setBusy] = useState<'dry' | 'apply' | null>(null);
  const [failure, setFailure] = useState<string | null>(null);
  const empty = KINDS.every((kind) => !texts[kind].text.trim());
  const dry = result?.checked ?? null;
  const upToDate = dry !== null && KINDS.every((kind) => dry[kind].text === texts[kind].text);
  const check = result?.result.rule_check;
  const clean = result !== null && result.result.errors.length === 0 && check?.gaps.length === 0 && check.overlaps.length === 0;
  const canApply = upToDate && clean && !result.result.applied;

  const send = async (dryRun: boolean) => {
    setBusy(dryRun ? 'dry' : 'apply');
    setFailure(null);
    const sent = texts;
    try {
      const reply = await api.POST('/coordinator/import', { body: requestBody(sent, dryRun) });
      const refused = refusedResult(reply.response.status, reply.error);
      if (refused) {
        setResult({ result: refused, heading: words.refusedTitle, checked: null });
        announce(words.refusedTitle);
        setBusy(null);
        return;
      }
      const answer = unwrap(reply);
      const heading = answer.applied ? words.appliedTitle : words.resultTitle;
      setResult({ result: answer, heading, checked: answer.applied ? null : sent });
      announce(answer.applied ? words.appliedNotice : heading);
    } catch (error) {
      setFailure(error instanceof ApiError ? pick(error.text, lang) : String(error));
    }
    setBusy(null);
  };

  return (
    <div class="import-screen">
      <h1>{words.title}</h1>
      <p>{words.intro}</p>
      <form
        onSubmit={(event) => {
          event.preventDefault();
          if (!empty) void send(true);
        }}
      >
        <div class="import-sources">
          {KINDS.map((kind) => (
            <SourceField
              key={kind}
              kind={kind}
              source={texts[kind]}
              words={words}
              lang={lang}
              onChange={(source) => setTexts((current) => ({ ...current, [kind]: source }))}
            />
          ))}
        </div>
        <p id="import-apply-hint" class="field__hint">
          {empty ? words.nothing : result && !upToDate && dry ? words.stale : words.applyHint}
        </p>
        <div class="import-actions">
          <Button type="submit" busy={busy === 'dry'} disabled={empty}>
            {busy === 'dry' ? words.working : words.dryRun}
          </Button>
          <Button variant="danger" busy={busy === 'apply'} disabled={!canApply} aria-describedby="import-apply-hint" onClick={() => send(false)}>
            {words.apply}
          </Button>
        </div>
      </form>
      {failure && (
        <p class="notice notice--error" role="alert">
          {words.failed} {failure}
        </p>
      )}
      {result && result.result.applied && <p class="notice notice--ok">{words.appliedNotice}</p>}
      {result && <Result result={result.result} heading={result.heading} words={words} lang={lang} />}
    </div>
  );
}
