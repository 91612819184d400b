import './ui.css';

export { Button } from './Button';
export { Field, TextField, TextAreaField } from './Field';
export { Dialog } from './Dialog';
export { StatusBadge } from './StatusBadge';
export { LiveRegion, announce } from './LiveRegion';
export { SkipLink } from './SkipLink';
