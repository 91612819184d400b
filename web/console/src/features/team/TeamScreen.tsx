import { useEffect, useState } from 'preact/hooks';
import { unwrap, type ApiError, type ResponseOf } from '../../../../shared/api';
import { pick, useLang, useText } from '../../../../shared/i18n';
import { Field } from '../../../../shared/ui';
import { hasRole, useConsole } from '../../app/context';
import { navigate } from '../../app/router';
import type { ScreenProps } from '../../app/routes';
import { teamText } from './text';
import { busiestFirst, loadShare, unitTotals } from './workload';
import './team.css';

type Team = ResponseOf<'/officer/team', 'get'>;
type Units = ResponseOf<'/officer/units', 'get'>['units'];

/** /console/team: the unit's open and overdue reports per officer, and those nobody is named for.
 * A unit head sees their unit; a coordinator picks one (?unit=). */
export default function TeamScreen({ query }: ScreenProps) {
  const { api, me } = useConsole();
  const words = useText(teamText);
  const lang = useLang();
  const coordinator = hasRole(me, 'coordinator');
  const unitId = query.get('unit') ?? (coordinator ? null : me.unit?.unit_id ?? null);
  const [team, setTeam] = useState<Team | null>(null);
  const [units, setUnits] = useState<Units>([]);
  const [failure, setFailure] = useState<string | null>(null);

  useEffect(() => {
    if (!coordinator) return;
    api.GET('/officer/units').then((result) => setUnits(unwrap(result).units), () => setUnits([]));
  }, [coordinator]);

  useEffect(() => {
    let live = true;
    setTeam(null);
    setFailure(null);
    if (coordinator && !unitId) return;
    api
      .GET('/officer/team', { params: { query: unitId ? { unit_id: unitId } : {} } })
      .then((result) => live && setTeam(unwrap(result)))
      .catch((error: ApiError) => live && setFailure(pick(error.text, lang)));
    return () => {
      live = false;
    };
  }, [unitId]);

  const roleName: Record<string, string> = {
    officer: words.roleOfficer,
    unit_head: words.roleHead,
    coordinator: words.roleCoordinator,
  };
  const unitName = (id: string) => {
    const unit = units.find((one) => one.unit_id === id) ?? (me.unit?.unit_id === id ? me.unit : null);
    return unit ? pick(unit.name, lang) : id;
  };

  return (
    <section aria-labelledby="team-title">
      <h1 id="team-title">{words.title}</h1>
      {coordinator && (
        <div class="unit-picker">
          <Field label={words.unit}>
            {(control) => (
              <select class="input" name="unit" {...control} value={unitId ?? ''}
                onChange={(event) => navigate(`/team?unit=${encodeURIComponent(event.currentTarget.value)}`)}>
                <option value="">—</option>
                {units.map((unit) => <option key={unit.unit_id} value={unit.unit_id}>{pick(unit.name, lang)}</option>)}
              </select>
            )}
          </Field>
        </div>
      )}
      {failure && <p class="notice notice--error" role="alert">{failure}</p>}
      {!failure && unitId && !team && <p aria-busy="true">{words.loading}</p>}
      {team && <Workload team={team} unitName={unitName(team.unit_id)} roleName={roleName} words={words} />}
    </section>
  );
}

interface WorkloadProps {
  team: Team;
  unitName: string;
  roleName: Record<string, string>;
  words: (typeof teamText)['vi'];
}

function Workload({ team, unitName, roleName, words }: WorkloadProps) {
  const officers = busiestFirst(team.officers);
  const totals = unitTotals(team);
  return (
    <>
      <p>{words.summary(unitName, totals.open, totals.overdue)}</p>
      <table class="workload-table" data-testid="team-table">
        <caption>{words.caption}</caption>
        <thead>
          <tr>
            <th scope="col">{words.officer}</th>
            <th scope="col">{words.role}</th>
            <th scope="col" class="number">{words.open}</th>
            <th scope="col" class="number">{words.overdue}</th>
            <th scope="col">{words.share}</th>
          </tr>
        </thead>
        <tbody>
          {officers.map((officer) => {
            const share = loadShare(officer, officers);
            return (
              <tr key={officer.officer_id} data-officer={officer.officer_id}>
                <th scope="row">{officer.name}</th>
                <td>{roleName[officer.role] ?? officer.role}</td>
                <td class="number">{officer.open}</td>
                <td class={officer.overdue ? 'number overdue' : 'number'}>{officer.overdue}</td>
                <td>
                  <meter min={0} max={100} value={share} aria-label={`${words.share}: ${officer.name}`}>{share} %</meter>
                </td>
              </tr>
            );
          })}
          <tr>
            <th scope="row">{words.nobody}</th>
            <td />
            <td class="number">{team.unassigned.open}</td>
            <td class={team.unassigned.overdue ? 'number overdue' : 'number'}>{team.unassigned.overdue}</td>
            <td />
          </tr>
        </tbody>
        <tfoot>
          <tr>
            <th scope="row">{words.whole}</th>
            <td />
            <td class="number">{totals.open}</td>
            <td class="number">{totals.overdue}</td>
            <td />
          </tr>
        </tfoot>
      </table>
    </>
  );
}
