interface StatusBadgeProps {
  /** The machine value (e.g. ASSIGNED): it picks the colour; the text is what people read. */
  status: string;
  label: string;
}

/** A state shown as text on a colour: the colour repeats the words, never replaces them. */
export function StatusBadge({ status, label }: StatusBadgeProps) {
  return <span class={`badge badge--${status.toLowerCase().replace(/[^a-z_]/g, '')}`}>{label}</span>;
}
