import { render } from 'preact';
import '../../shared/ui';
import './app/site.css';
import { App } from './app/App';

const root = document.getElementById('app');
if (root) render(<App />, root);
