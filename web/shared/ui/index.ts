import './ui.css';

export { Button } from './Button';
export { Field, TextField, TextAreaField } from './Field';
export { Dialog } from './Dialog';
export { StatusBadge } from './StatusBadge';
export { LiveRegion, announce } from './LiveRegion';
export { SkipLink } from './SkipLink';
export { LanguageToggle } from './LanguageToggle';
export { AppNav } from './AppNav';
export { BeforeAfter } from './BeforeAfter';
export { ChosenPhotos } from './ChosenPhotos';
