// The call overlay, loaded by the call-page content script as an extension-origin iframe (/overlay.html?platform=…&code=…).
import { render } from 'preact';
import { OverlayApp } from '../../ui/overlay/OverlayApp.tsx';
import '../../ui/styles.css';

const root = document.getElementById('app');
if (root) render(<OverlayApp search={location.search} />, root);
