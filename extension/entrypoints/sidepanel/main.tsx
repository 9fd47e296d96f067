// Between calls: goals, open actions and the next check-in (Chrome's side panel, Firefox's sidebar).
import { render } from 'preact';
import { SidePanelApp } from '../../ui/sidepanel/SidePanelApp.tsx';
import { setFavicon } from '../../ui/components/Logo.tsx';
import '../../ui/styles.css';

setFavicon(document);
const root = document.getElementById('app');
if (root) render(<SidePanelApp />, root);
