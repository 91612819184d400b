import { render } from 'preact';
import '../../shared/ui';
import './app/site.css';
import { App } from './app/App';
import { registerServiceWorker } from './features/offline';

const root = document.getElementById('app');
if (root) render(<App />, root);
// The site offline (the app shell and the reporting app's outbox), from whichever page is opened first.
registerServiceWorker();
