import { useEffect, useState } from "preact/hooks";
import { api, apiError } from "../../../../shared/api";
import { useI18n } from "../../../../shared/i18n";
import { LEVELS, LEVEL_MEANING, boardLevels, groupByLevel, type Level } from "./levels";

interface EscalatedReport {
  report_id: string;
  status: string;
  category: { code: string; name: { vi: string; en: string } | null };
  ward_code: string | null;
  address: string | null;
  description: string;
  due_at: string | null;
  deadline_kind: string;
  escalation_level: number;
  escalated_at: string | null;
  assignee: { officer_id: string; name: string | null } | null;
  unit_id?: string;
}

/** /console/escalations: for a coordinator the board of every unit (levels 1–3), for a unit head
 * the escalations their unit received; both by level, the longest escalated first. */
export function EscalationsPage({ coordinator }: { coordinator: boolean }) {
  const { say, language } = useI18n();
  const [levels, setLevels] = useState<Record<Level, EscalatedReport[]> | null>(null);
  const [failure, setFailure] = useState<string | null>(null);

  useEffect(() => {
    let current = true;
    const load = coordinator
      ? api.GET("/coordinator/escalations").then(({ data, error }) => (data ? boardLevels(data.levels) : Promise.reject(error)))
      : api.GET("/officer/escalations").then(({ data, error }) => (data ? groupByLevel(data.reports) : Promise.reject(error)));
    load.then(
      (grouped) => current && setLevels(grouped),
      (error: unknown) => current && setFailure(say(apiError(error))),
    );
    return () => {
      current = false;
    };
  }, [coordinator]);

  const time = (iso: string | null) =>
    iso ? new Date(iso).toLocaleString(language === "vi" ? "vi-VN" : "en-GB", { timeZone: "Asia/Ho_Chi_Minh" }) : "—";

  return (
    <section aria-labelledby="escalations-heading">
      <h1 id="escalations-heading">
        {coordinator
          ? say({ vi: "Bảng cảnh báo quá hạn", en: "Escalations board" })
          : say({ vi: "Cảnh báo quá hạn đơn vị nhận", en: "Escalations the unit received" })}
      </h1>
      {failure && <p role="alert">{failure}</p>}
      {!failure && !levels && <p aria-busy="true">{say({ vi: "Đang tải…", en: "Loading…" })}</p>}
      {levels && (
        <div class="escalation-levels">
          {[...LEVELS].reverse().map((level) => (
            <section key={level} aria-labelledby={`level-${level}`} class={`escalation-level level-${level}`} data-testid={`level-${level}`}>
              <h2 id={`level-${level}`}>
                {say(LEVEL_MEANING[level])} <span class="count">({levels[level].length})</span>
              </h2>
              {levels[level].length === 0 ? (
                <p>{say({ vi: "Không có phản ánh nào.", en: "No reports." })}</p>
              ) : (
                <table class="data-table">
                  <thead>
                    <tr>
                      <th scope="col">{say({ vi: "Mã phản ánh", en: "Report" })}</th>
                      <th scope="col">{say({ vi: "Lĩnh vực", en: "Field" })}</th>
                      {coordinator && <th scope="col">{say({ vi: "Đơn vị", en: "Unit" })}</th>}
                      <th scope="col">{say({ vi: "Hạn đã lỡ", en: "Missed deadline" })}</th>
                      <th scope="col">{say({ vi: "Lên cấp lúc", en: "Escalated at" })}</th>
                      <th scope="col">{say({ vi: "Người xử lý", en: "Assignee" })}</th>
                    </tr>
                  </thead>
                  <tbody>
                    {levels[level].map((report) => (
                      <tr key={report.report_id}>
                        <th scope="row">
                          <a href={`/console/reports/${encodeURIComponent(report.report_id)}`}>{report.report_id}</a>
                          <div class="muted">{report.address ?? report.description.slice(0, 80)}</div>
                        </th>
                        <td>{report.category.name ? say(report.category.name) : report.category.code}</td>
                        {coordinator && <td>{report.unit_id}</td>}
                        <td>
                          {say(report.deadline_kind === "acknowledge"
                            ? { vi: "Tiếp nhận", en: "Acknowledge" } : { vi: "Xử lý xong", en: "Resolve" })}
                          {": "}
                          {time(report.due_at)}
                        </td>
                        <td>{time(report.escalated_at)}</td>
                        <td>{report.assignee?.name ?? report.assignee?.officer_id ?? say({ vi: "Chưa giao", en: "Not assigned" })}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              )}
            </section>
          ))}
        </div>
      )}
    </section>
  );
}
