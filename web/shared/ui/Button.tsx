import type { ComponentChildren, JSX } from 'preact';

type Variant = 'primary' | 'secondary' | 'danger' | 'link';

interface ButtonProps extends Omit<JSX.ButtonHTMLAttributes<HTMLButtonElement>, "type" | "disabled"> {
  variant?: Variant;
  type?: 'button' | 'submit' | 'reset';
  /** While true the button stays focusable but announces itself busy and ignores clicks. */
  busy?: boolean;
  disabled?: boolean;
  children: ComponentChildren;
}

export function Button({ variant = 'primary', type = 'button', busy = false, disabled, children, onClick, class: extra, ...rest }: ButtonProps) {
  return (
    <button
      {...rest}
      type={type}
      class={['btn', `btn--${variant}`, extra].filter(Boolean).join(' ')}
      disabled={disabled}
      aria-busy={busy || undefined}
      onClick={(event) => {
        if (busy) {
          event.preventDefault();
          return;
        }
        onClick?.(event);
      }}
    >
      {children}
    </button>
  );
}
