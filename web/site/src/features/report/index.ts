/** What other features may use of the public report page. */
export { AwaitingInformation } from './AwaitingInformation';
