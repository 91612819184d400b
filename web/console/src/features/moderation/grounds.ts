/** The grounds on which a coordinator may reject a report (phananh.processing.commands.REJECT_GROUNDS),
 * with the words the reject form shows for each. */

import type { Bilingual } from "./compare";

export const REJECT_GROUNDS: readonly { code: string; label: Bilingual }[] = [
  { code: "spam", label: { vi: "Tin rác, quảng cáo", en: "Spam or advertising" } },
  { code: "abuse", label: { vi: "Nội dung xúc phạm, lạm dụng", en: "Abusive content" } },
  { code: "not_public_matter", label: { vi: "Không phải việc công", en: "Not a public matter" } },
];

export interface RejectDraft {
  grounds: string;
  reason: string;
}

/** Problems of a reject form before it is sent (the API checks again). */
export function rejectProblems(draft: RejectDraft): Partial<Record<keyof RejectDraft, Bilingual>> {
  const problems: Partial<Record<keyof RejectDraft, Bilingual>> = {};
  if (!REJECT_GROUNDS.some((ground) => ground.code === draft.grounds)) {
    problems.grounds = { vi: "Hãy chọn lý do từ chối.", en: "Choose the grounds for rejecting." };
  }
  if (!draft.reason.trim()) {
    problems.reason = { vi: "Hãy ghi giải thích cho người phản ánh.", en: "Write an explanation for the reporter." };
  }
  return problems;
}
