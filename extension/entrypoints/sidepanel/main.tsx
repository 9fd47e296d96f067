// Between calls: goals, open actions and the next check-in (Chrome's side panel, Firefox's sidebar).
import { render } from 'preact';
import { t } from '../../lib/i18n.ts';
import { SidePanelApp } from '../../ui/sidepanel/SidePanelApp.tsx';
import { setFavicon } from '../../ui/components/Logo.tsx';
import '../../ui/styles.css';

document.title = t('extName');
setFavicon(document);
const root = document.getElementById('app');
if (root) render(<SidePanelApp />, root);
