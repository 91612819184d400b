import { useI18n } from "../../../../shared/i18n";
import { ageText, distanceMetres, distanceText } from "./compare";
import type { ReviewedReport } from "./reviewed";

/** The two reports of a merge next to each other: photos, text, place, age, and how far apart. */
export function SideBySide({ duplicate, master, now }: { duplicate: ReviewedReport; master: ReviewedReport; now: Date }) {
  const { say } = useI18n();
  const named = (value: { vi: string; en: string } | string | null | undefined) =>
    value == null ? "—" : typeof value === "string" ? value : say(value);
  const columns = [
    { report: duplicate, role: say({ vi: "Phản ánh trùng (sẽ được gộp)", en: "Duplicate (merged away)" }) },
    { report: master, role: say({ vi: "Phản ánh chính (giữ lại)", en: "Master (stays open)" }) },
  ];
  const rows: { label: string; cell: (report: ReviewedReport) => preact.ComponentChildren }[] = [
    { label: say({ vi: "Mã", en: "Id" }), cell: (report) => report.report_id },
    { label: say({ vi: "Trạng thái", en: "State" }), cell: (report) => named(report.status_label ?? report.status) },
    { label: say({ vi: "Lĩnh vực", en: "Field" }), cell: (report) => named(report.category.name ?? report.category.code) },
    { label: say({ vi: "Nội dung", en: "Text" }), cell: (report) => <p class="report-text">{report.description}</p> },
    {
      label: say({ vi: "Địa điểm", en: "Place" }),
      cell: (report) => (
        <>
          {report.address ?? "—"}
          {report.ward && <div class="muted">{named(report.ward.name ?? report.ward.code)}</div>}
          {report.location && <div class="muted">{report.location.lat.toFixed(5)}, {report.location.lon.toFixed(5)}</div>}
        </>
      ),
    },
    { label: say({ vi: "Gửi lúc", en: "Filed" }), cell: (report) => say(ageText(report.created_at, now)) },
    {
      label: say({ vi: "Ảnh", en: "Photos" }),
      cell: (report) =>
        report.photos.length === 0 ? say({ vi: "Không có ảnh", en: "No photos" }) : (
          <ul class="photo-strip">
            {report.photos.map((photo, index) => (
              <li key={photo.url}>
                <a href={photo.url} target="_blank" rel="noopener">
                  <img src={photo.thumbnail_url} width={120} height={90}
                    alt={say({ vi: `Ảnh ${index + 1} của ${report.report_id}`, en: `Photo ${index + 1} of ${report.report_id}` })} />
                </a>
              </li>
            ))}
          </ul>
        ),
    },
  ];
  return (
    <div class="side-by-side" data-testid="side-by-side">
      <p data-testid="merge-distance">
        {say({ vi: "Khoảng cách giữa hai nơi", en: "Distance between the places" })}:{" "}
        <strong>{say(distanceText(distanceMetres(duplicate.location, master.location)))}</strong>
      </p>
      <table class="data-table compare-table">
        <caption>{say({ vi: "So sánh hai phản ánh", en: "The two reports compared" })}</caption>
        <thead>
          <tr>
            <td />
            {columns.map((column) => <th scope="col" key={column.report.report_id}>{column.role}</th>)}
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => (
            <tr key={row.label}>
              <th scope="row">{row.label}</th>
              {columns.map((column) => <td key={column.report.report_id}>{row.cell(column.report)}</td>)}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
