/** The grounds on which a coordinator may reject a report (phananh.processing.commands.REJECT_GROUNDS). */

export const REJECT_GROUNDS = ['spam', 'abuse', 'not_public_matter'] as const;
export type RejectGround = (typeof REJECT_GROUNDS)[number];

export interface RejectDraft {
  grounds: string;
  reason: string;
}

export function isRejectGround(value: string): value is RejectGround {
  return (REJECT_GROUNDS as readonly string[]).includes(value);
}

/** The fields of a reject form that are not ready to send (the API checks again). */
export function rejectProblems(draft: RejectDraft): (keyof RejectDraft)[] {
  const problems: (keyof RejectDraft)[] = [];
  if (!isRejectGround(draft.grounds)) problems.push('grounds');
  if (!draft.reason.trim()) problems.push('reason');
  return problems;
}
