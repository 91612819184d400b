import { useEffect, useState } from "preact/hooks";
import { api, apiError, type ApiData } from "../../../../shared/api";
import { useI18n } from "../../../../shared/i18n";
import { ReviewPanel } from "./ReviewPanel";

type ReviewQueue = ApiData<"/coordinator/moderation", "get">;

/** /console/moderation: what waits for a coordinator's review (and why it was held), and any
 * report opened by id, each with the moderation actions. */
export function ModerationPage() {
  const { say } = useI18n();
  const [queue, setQueue] = useState<ReviewQueue | null>(null);
  const [failure, setFailure] = useState<string | null>(null);
  const [selected, setSelected] = useState<string | null>(null);
  const [lookup, setLookup] = useState("");

  const load = () =>
    api.GET("/coordinator/moderation", { params: { query: { limit: 100 } } }).then(({ data, error }) => {
      if (data) setQueue(data);
      else setFailure(say(apiError(error)));
    });

  useEffect(() => {
    void load();
  }, []);

  return (
    <section aria-labelledby="moderation-heading" class="moderation">
      <h1 id="moderation-heading">{say({ vi: "Kiểm duyệt", en: "Moderation" })}</h1>
      <form class="inline-form" onSubmit={(event) => { event.preventDefault(); if (lookup.trim()) setSelected(lookup.trim()); }}>
        <label for="moderation-lookup">{say({ vi: "Mở phản ánh theo mã", en: "Open a report by id" })}</label>
        <input id="moderation-lookup" name="report_id" value={lookup} autocomplete="off"
          onInput={(event) => setLookup(event.currentTarget.value)} />
        <button type="submit">{say({ vi: "Mở", en: "Open" })}</button>
      </form>
      <div class="moderation-layout">
        <section aria-labelledby="waiting-heading">
          <h2 id="waiting-heading">
            {say({ vi: "Chờ duyệt trước khi công khai", en: "Waiting for review before publication" })}
            {queue && <span class="count"> ({queue.reports.length})</span>}
          </h2>
          {failure && <p role="alert">{failure}</p>}
          {!failure && !queue && <p aria-busy="true">{say({ vi: "Đang tải…", en: "Loading…" })}</p>}
          {queue && queue.reports.length === 0 && <p>{say({ vi: "Không có phản ánh nào chờ duyệt.", en: "Nothing waits for review." })}</p>}
          {queue && queue.reports.length > 0 && (
            <ul class="review-list" data-testid="review-list">
              {queue.reports.map((report) => (
                <li key={report.report_id} class={selected === report.report_id ? "selected" : undefined}>
                  <button type="button" aria-pressed={selected === report.report_id} onClick={() => setSelected(report.report_id)}>
                    <strong>{report.report_id}</strong>
                    <span>{report.category.name ? say(report.category.name) : report.category.code}</span>
                  </button>
                  <p class="report-text">{report.description}</p>
                  <ul class="held-for" aria-label={say({ vi: "Lý do chờ duyệt", en: "Why it is held" })}>
                    {report.held_for.map((ground) => (
                      <li key={ground.code} class={`badge ${ground.code === "review_first" ? "" : "badge-warning"}`}>
                        {ground.label ? say(ground.label) : ground.code}
                      </li>
                    ))}
                  </ul>
                </li>
              ))}
            </ul>
          )}
        </section>
        <div>
          {selected ? <ReviewPanel reportId={selected} onDone={() => void load()} /> : (
            <p>{say({ vi: "Chọn một phản ánh để xem và quyết định.", en: "Choose a report to read and decide on." })}</p>
          )}
        </div>
      </div>
    </section>
  );
}
