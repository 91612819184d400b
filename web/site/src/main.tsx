import { render } from 'preact';
import '../../shared/ui';
import './app/site.css';
import { currentLocation, findRoute } from '../../shared/router';
import { App } from './app/App';
import { ROUTES } from './app/routes';
import { registerServiceWorker } from './features/offline';

// The page's own screen downloads alongside the app rather than after its first render (the import
// is kept, so the router's load of it later finds it there).
findRoute(ROUTES, currentLocation().path)?.route.load().catch(() => undefined);

const root = document.getElementById('app');
if (root) render(<App />, root);
// The site offline (the app shell and the reporting app's outbox), from whichever page is opened first.
registerServiceWorker();
