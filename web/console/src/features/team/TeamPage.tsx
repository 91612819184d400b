import { useEffect, useState } from "preact/hooks";
import { api, apiError, type ApiData } from "../../../../shared/api";
import { useI18n } from "../../../../shared/i18n";
import { busiestFirst, loadShare, unitTotals } from "./workload";

type Team = ApiData<"/officer/team", "get">;

/** /console/team: the unit's workload per officer (unit heads; coordinators pick the unit). */
export function TeamPage({ unitId }: { unitId?: string }) {
  const { say } = useI18n();
  const [team, setTeam] = useState<Team | null>(null);
  const [failure, setFailure] = useState<string | null>(null);

  useEffect(() => {
    let current = true;
    setTeam(null);
    api.GET("/officer/team", { params: { query: unitId ? { unit_id: unitId } : {} } }).then(({ data, error }) => {
      if (!current) return;
      if (data) setTeam(data);
      else setFailure(say(apiError(error)));
    });
    return () => {
      current = false;
    };
  }, [unitId]);

  const heading = say({ vi: "Khối lượng công việc của đơn vị", en: "Team workload" });
  if (failure) return <Page heading={heading}><p role="alert">{failure}</p></Page>;
  if (!team) return <Page heading={heading}><p aria-busy="true">{say({ vi: "Đang tải…", en: "Loading…" })}</p></Page>;

  const officers = busiestFirst(team.officers);
  const totals = unitTotals(team);
  return (
    <Page heading={heading}>
      <p>
        {say({
          vi: `Đơn vị ${team.unit_id}: ${totals.open} phản ánh đang mở, ${totals.overdue} quá hạn.`,
          en: `Unit ${team.unit_id}: ${totals.open} open reports, ${totals.overdue} overdue.`,
        })}
      </p>
      <table class="data-table" data-testid="team-table">
        <caption>{say({ vi: "Phản ánh đang mở theo cán bộ", en: "Open reports per officer" })}</caption>
        <thead>
          <tr>
            <th scope="col">{say({ vi: "Cán bộ", en: "Officer" })}</th>
            <th scope="col">{say({ vi: "Vai trò", en: "Role" })}</th>
            <th scope="col" class="number">{say({ vi: "Đang mở", en: "Open" })}</th>
            <th scope="col" class="number">{say({ vi: "Quá hạn", en: "Overdue" })}</th>
            <th scope="col">{say({ vi: "Tỷ lệ so với người nhiều nhất", en: "Share of the busiest" })}</th>
          </tr>
        </thead>
        <tbody>
          {officers.map((officer) => (
            <tr key={officer.officer_id}>
              <th scope="row">{officer.name}</th>
              <td>{say(ROLE_NAMES[officer.role] ?? { vi: officer.role, en: officer.role })}</td>
              <td class="number">{officer.open}</td>
              <td class={officer.overdue ? "number overdue" : "number"}>{officer.overdue}</td>
              <td>
                <meter min={0} max={100} value={loadShare(officer, officers)}>
                  {loadShare(officer, officers)} %
                </meter>
              </td>
            </tr>
          ))}
          <tr>
            <th scope="row">{say({ vi: "Chưa giao cho ai", en: "Nobody named" })}</th>
            <td />
            <td class="number">{team.unassigned.open}</td>
            <td class={team.unassigned.overdue ? "number overdue" : "number"}>{team.unassigned.overdue}</td>
            <td />
          </tr>
        </tbody>
        <tfoot>
          <tr>
            <th scope="row">{say({ vi: "Cả đơn vị", en: "Whole unit" })}</th>
            <td />
            <td class="number">{totals.open}</td>
            <td class="number">{totals.overdue}</td>
            <td />
          </tr>
        </tfoot>
      </table>
    </Page>
  );
}

const ROLE_NAMES: Record<string, { vi: string; en: string }> = {
  officer: { vi: "Cán bộ xử lý", en: "Officer" },
  unit_head: { vi: "Lãnh đạo đơn vị", en: "Unit head" },
  coordinator: { vi: "Điều phối viên", en: "Coordinator" },
};

function Page({ heading, children }: { heading: string; children: preact.ComponentChildren }) {
  return (
    <section aria-labelledby="team-heading">
      <h1 id="team-heading">{heading}</h1>
      {children}
    </section>
  );
}
