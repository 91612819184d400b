interface SkipLinkProps {
  target: string;
  label: string;
}

/** The first focusable thing on every page: jumps past the navigation to the main content. */
export function SkipLink({ target, label }: SkipLinkProps) {
  return (
    <a class="skip-link" href={`#${target}`}>
      {label}
    </a>
  );
}
