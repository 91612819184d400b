import { useEffect, useRef, useState } from 'preact/hooks';
import { useText } from '../../../../shared/i18n';
import { Button, TextField, announce } from '../../../../shared/ui';
import { SignInError, type AuthSession, type SignInStep } from './session';
import { signInText } from './text';

type Stage = 'credentials' | 'new_password' | 'totp';
type Words = (typeof signInText)['vi'];

function explain(error: unknown, stage: Stage, words: Words): string {
  const code = error instanceof SignInError ? error.code : '';
  if (code === 'CodeMismatchException' || code === 'ExpiredCodeException') return words.wrongCode;
  if (code === 'InvalidPasswordException') return words.weakPassword;
  if (code === 'TooManyRequestsException' || code === 'LimitExceededException') return words.tooMany;
  if (code === 'NotAuthorizedException' || code === 'UserNotFoundException') {
    return stage === 'totp' ? words.wrongCode : words.wrongPassword;
  }
  return words.failed;
}

interface SignInProps {
  auth: AuthSession;
  /** Called once the officer is signed in (the app then returns to the page they asked for). */
  onSignedIn: () => void;
}

/** The sign-in form; its input names (username, password, new_password, totp) are relied on by the browser tests. */
export function SignIn({ auth, onSignedIn }: SignInProps) {
  const words = useText(signInText);
  const [stage, setStage] = useState<Stage>('credentials');
  const [values, setValues] = useState({ username: '', password: '', new_password: '', totp: '' });
  const [fieldError, setFieldError] = useState<Partial<Record<keyof typeof values, string>>>({});
  const [failure, setFailure] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const heading = useRef<HTMLHeadingElement>(null);

  useEffect(() => {
    heading.current?.focus();
  }, [stage]);

  const advance = (step: SignInStep) => {
    if (step.kind === 'signed_in') onSignedIn();
    else if (step.kind === 'mfa_setup') setFailure(words.mfaSetup);
    else setStage(step.kind);
  };

  const validate = (): boolean => {
    const errors: typeof fieldError = {};
    if (stage === 'credentials') {
      if (!values.username.trim()) errors.username = words.required;
      if (!values.password) errors.password = words.required;
    } else if (stage === 'new_password') {
      if (!values.new_password) errors.new_password = words.required;
    } else if (!/^\d{6}$/.test(values.totp.trim())) {
      errors.totp = words.totpFormat;
    }
    setFieldError(errors);
    return Object.keys(errors).length === 0;
  };

  const submit = async (event: Event) => {
    event.preventDefault();
    if (busy || !validate()) return;
    setBusy(true);
    setFailure(null);
    try {
      if (stage === 'credentials') advance(await auth.signIn(values.username, values.password));
      else if (stage === 'new_password') advance(await auth.setNewPassword(values.new_password));
      else advance(await auth.sendTotp(values.totp));
    } catch (error) {
      const message = explain(error, stage, words);
      setFailure(message);
      announce(message, 'assertive');
    } finally {
      setBusy(false);
    }
  };

  const bind = (name: keyof typeof values) => ({
    name,
    value: values[name],
    error: fieldError[name] ?? null,
    onInput: (event: Event) => setValues({ ...values, [name]: (event.currentTarget as HTMLInputElement).value }),
  });

  const title = stage === 'credentials' ? words.title : stage === 'new_password' ? words.newPasswordTitle : words.totpTitle;
  const intro = stage === 'credentials' ? words.intro : stage === 'new_password' ? words.newPasswordIntro : words.totpIntro;

  return (
    <section class="sign-in" aria-labelledby="sign-in-title">
      <h1 id="sign-in-title" tabIndex={-1} ref={heading}>
        {title}
      </h1>
      <p>{intro}</p>
      {failure && (
        <p class="notice notice--error" data-testid="sign-in-error">
          {failure}
        </p>
      )}
      <form onSubmit={submit} noValidate>
        {stage === 'credentials' && (
          <>
            <TextField label={words.username} autoComplete="username" autoCapitalize="none" spellcheck={false} {...bind('username')} />
            <TextField label={words.password} type="password" autoComplete="current-password" {...bind('password')} />
          </>
        )}
        {stage === 'new_password' && (
          <TextField label={words.newPassword} hint={words.newPasswordHint} type="password" autoComplete="new-password" {...bind('new_password')} />
        )}
        {stage === 'totp' && (
          <TextField label={words.totp} inputMode="numeric" autoComplete="one-time-code" pattern="[0-9]{6}" maxLength={6} {...bind('totp')} />
        )}
        <Button type="submit" busy={busy}>
          {busy ? words.working : stage === 'credentials' ? words.submit : words.continue}
        </Button>
      </form>
    </section>
  );
}
