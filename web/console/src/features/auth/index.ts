export { AuthSession, SignInError } from './session';
export type { SignInSettings, SignInStep } from './session';
export { SignIn } from './SignIn';
