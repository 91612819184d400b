/** What other features may use of the assignment: the report page mounts the picker. */
export { AssigneePicker, type AssignableReport } from './AssigneePicker';
export { assigneeName } from './assignee';
