import type { ResponseOf } from '../../../../shared/api';

type PublicReport = ResponseOf<'/public/reports/{report_id}', 'get'>;
export type Step = { due_at: string | null; done_at: string | null; met: boolean | null };
/** The deadlines as the public detail gives them: each step's due and done times and whether it was met. */
export type Deadlines = { acknowledge: Step; resolve: Step };

/** The deadlines of a report; from the two due times alone where the detail has no `deadlines`. */
export function deadlinesOf(report: PublicReport): Deadlines {
  const given = (report as PublicReport & { deadlines?: Deadlines }).deadlines;
  if (given) return given;
  return {
    acknowledge: { due_at: report.acknowledge_due_at, done_at: null, met: null },
    resolve: { due_at: report.resolve_due_at, done_at: null, met: null },
  };
}

export function outcome(step: Step, words: { onTime: string; late: string; pending: string }): { text: string; kind: 'met' | 'late' | 'pending' } {
  if (step.met === true) return { text: words.onTime, kind: 'met' };
  if (step.met === false) return { text: words.late, kind: 'late' };
  return { text: words.pending, kind: 'pending' };
}

