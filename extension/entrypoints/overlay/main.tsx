// The call overlay, loaded by the call-page content script as an extension-origin iframe (/overlay.html?platform=…&code=…).
import { render } from 'preact';
import { t } from '../../lib/i18n.ts';
import { OverlayApp } from '../../ui/overlay/OverlayApp.tsx';
import '../../ui/styles.css';

document.title = t('extName');
const root = document.getElementById('app');
if (root) render(<OverlayApp search={location.search} />, root);
