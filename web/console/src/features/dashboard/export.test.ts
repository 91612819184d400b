import { describe, expect, it } from "vitest";
import { ExportFailed, NO_FILTERS, exportFileName, exportQuery, fetchExport, filterProblems } from "./export";

describe("CSV export", () => {
  it("sends only the filters that are set", () => {
    expect(exportQuery(NO_FILTERS)).toBe("");
    expect(exportQuery({ ...NO_FILTERS, status: "ASSIGNED", ward_code: " 31117 ", from: "2026-11-01" }))
      .toBe("?status=ASSIGNED&ward_code=31117&from=2026-11-01");
  });

  it("refuses a malformed date and a period that ends before it starts", () => {
    expect(filterProblems({ ...NO_FILTERS, from: "1/11/2026" }).from?.en).toMatch(/YYYY-MM-DD/);
    expect(filterProblems({ ...NO_FILTERS, from: "2026-11-05", to: "2026-11-01" }).to?.vi).toMatch(/sau ngày bắt đầu/);
    expect(filterProblems({ ...NO_FILTERS, from: "2026-11-01", to: "2026-11-01" })).toEqual({});
  });

  it("takes the file name the server gives, else names it by date", () => {
    expect(exportFileName('attachment; filename="reports-2026.csv"', "2026-12-02")).toBe("reports-2026.csv");
    expect(exportFileName(null, "2026-12-02")).toBe("phananh-reports-2026-12-02.csv");
  });

  it("downloads with the ID token and returns the file as a Blob", async () => {
    const seen: { url?: string; auth?: string } = {};
    const fetcher = (async (url: string, init?: RequestInit) => {
      seen.url = url;
      seen.auth = new Headers(init?.headers).get("authorization") ?? undefined;
      return new Response("\uFEFFreport_id\nR1\n", {
        headers: { "content-type": "text/csv; charset=utf-8", "content-disposition": 'attachment; filename="x.csv"' },
      });
    }) as typeof fetch;
    const { blob, fileName } = await fetchExport({ ...NO_FILTERS, unit_id: "so_xay_dung" }, "token-1", fetcher);
    expect(seen).toEqual({ url: "/coordinator/export/reports.csv?unit_id=so_xay_dung", auth: "Bearer token-1" });
    expect(fileName).toBe("x.csv");
    expect(await blob.text()).toContain("report_id");
  });

  it("turns a refusal into the API's bilingual message", async () => {
    const fetcher = (async () =>
      new Response(JSON.stringify({ code: "invalid_date", message: { vi: "Ngày sai.", en: "Bad date." } }), {
        status: 400, headers: { "content-type": "application/json" },
      })) as typeof fetch;
    const failure = await fetchExport(NO_FILTERS, "t", fetcher).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(ExportFailed);
    expect((failure as ExportFailed).detail.en).toBe("Bad date.");
  });
});
