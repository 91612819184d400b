import {
  AuthenticationDetails,
  CognitoUser,
  CognitoUserPool,
  type CognitoUserSession,
  type IAuthenticationCallback,
} from 'amazon-cognito-identity-js';
import type { TokenSource } from '../../../../shared/api';

export interface SignInSettings {
  userPoolId: string;
  clientId: string;
  cognitoEndpoint: string | null;
  authFlow: 'USER_SRP_AUTH' | 'USER_PASSWORD_AUTH';
}

/** Where a sign-in stands after each answer from Cognito. */
export type SignInStep =
  | { kind: 'signed_in' }
  | { kind: 'new_password' }
  | { kind: 'totp' }
  /** MFA is required but this account has no authenticator yet: a coordinator must enrol it. */
  | { kind: 'mfa_setup' };

/** Cognito's refusal, with its error code (NotAuthorizedException, CodeMismatchException, …). */
export class SignInError extends Error {
  readonly code: string;
  constructor(code: string, message: string) {
    super(message);
    this.name = 'SignInError';
    this.code = code;
  }
}

/** Refresh this long before the ID token expires, so no call goes out with a token about to lapse. */
const REFRESH_MARGIN_S = 60;

function asSignInError(error: unknown): SignInError {
  const failure = error as { code?: string; name?: string; message?: string };
  return new SignInError(failure.code ?? failure.name ?? 'UnknownError', failure.message ?? String(error));
}

/**
 * The officer's Cognito session: sign-in with its challenges (first-time new password, TOTP), the
 * tokens kept in localStorage by the library, refreshed before they expire, and sign-out.
 */
export class AuthSession implements TokenSource {
  private readonly pool: CognitoUserPool;
  private readonly authFlow: SignInSettings['authFlow'];
  private user: CognitoUser | null = null;
  private session: CognitoUserSession | null = null;
  private refreshing: Promise<string | null> | null = null;
  private readonly listeners = new Set<(signedIn: boolean) => void>();

  constructor(settings: SignInSettings) {
    this.pool = new CognitoUserPool({
      UserPoolId: settings.userPoolId,
      ClientId: settings.clientId,
      ...(settings.cognitoEndpoint ? { endpoint: settings.cognitoEndpoint } : {}),
    });
    this.authFlow = settings.authFlow;
  }

  /** Subscribe to sign-in / sign-out (including a refresh that failed). */
  onChange(listener: (signedIn: boolean) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private emit(): void {
    for (const listener of this.listeners) listener(this.session !== null);
  }

  get signedIn(): boolean {
    return this.session !== null;
  }

  /** The session left by an earlier visit, refreshed if its tokens lapsed; false when there is none. */
  restore(): Promise<boolean> {
    const user = this.pool.getCurrentUser();
    if (!user) return Promise.resolve(false);
    return new Promise((resolve) => {
      user.getSession((error: Error | null, session: CognitoUserSession | null) => {
        if (error || !session?.isValid()) {
          resolve(false);
          return;
        }
        this.user = user;
        this.session = session;
        resolve(true);
      });
    });
  }

  private callbacks(resolve: (step: SignInStep) => void, reject: (error: SignInError) => void): IAuthenticationCallback {
    return {
      onSuccess: (session) => {
        this.session = session;
        resolve({ kind: 'signed_in' });
        this.emit();
      },
      onFailure: (error) => reject(asSignInError(error)),
      newPasswordRequired: () => resolve({ kind: 'new_password' }),
      totpRequired: () => resolve({ kind: 'totp' }),
      mfaRequired: () => resolve({ kind: 'totp' }),
      mfaSetup: () => resolve({ kind: 'mfa_setup' }),
    };
  }

  signIn(username: string, password: string): Promise<SignInStep> {
    const user = new CognitoUser({ Username: username.trim(), Pool: this.pool });
    user.setAuthenticationFlowType(this.authFlow);
    this.user = user;
    const details = new AuthenticationDetails({ Username: username.trim(), Password: password });
    return new Promise((resolve, reject) => user.authenticateUser(details, this.callbacks(resolve, reject)));
  }

  /** The first sign-in's challenge: the temporary password is replaced by the officer's own. */
  setNewPassword(password: string): Promise<SignInStep> {
    const user = this.requireUser();
    return new Promise((resolve, reject) => user.completeNewPasswordChallenge(password, {}, this.callbacks(resolve, reject)));
  }

  /** The 6-digit code of the officer's authenticator app. */
  sendTotp(code: string): Promise<SignInStep> {
    const user = this.requireUser();
    return new Promise((resolve, reject) => user.sendMFACode(code.trim(), this.callbacks(resolve, reject), 'SOFTWARE_TOKEN_MFA'));
  }

  private requireUser(): CognitoUser {
    if (!this.user) throw new SignInError('NoSignInInProgress', 'Sign in first');
    return this.user;
  }

  async idToken(): Promise<string | null> {
    if (!this.session) return null;
    const expiresAt = this.session.getIdToken().getExpiration();
    if (expiresAt - Date.now() / 1000 < REFRESH_MARGIN_S) return this.refresh();
    return this.session.getIdToken().getJwtToken();
  }

  /** One refresh at a time, however many calls ask for it; a refused refresh signs the officer out. */
  refresh(): Promise<string | null> {
    const user = this.user;
    const session = this.session;
    if (!user || !session) return Promise.resolve(null);
    this.refreshing ??= new Promise<string | null>((resolve) => {
      user.refreshSession(session.getRefreshToken(), (error: Error | null, fresh: CognitoUserSession | null) => {
        this.refreshing = null;
        if (error || !fresh) {
          this.forget();
          resolve(null);
          return;
        }
        this.session = fresh;
        resolve(fresh.getIdToken().getJwtToken());
      });
    });
    return this.refreshing;
  }

  /** Sign out: the tokens kept in this browser are cleared (the library's local sign-out). */
  signOut(): void {
    this.forget();
  }

  private forget(): void {
    const user = this.user;
    this.user = null;
    this.session = null;
    try {
      user?.signOut();
    } catch {
      // Nothing more to clear than what the library already did.
    }
    this.emit();
  }
}
