/** What other features may use of the assignment: the report page mounts the picker. */
export { AssigneePicker } from './AssigneePicker';
