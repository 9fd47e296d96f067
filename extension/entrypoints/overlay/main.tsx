// The call overlay, loaded by the call-page content script as an extension-origin iframe (/overlay.html?platform=…&code=…).
import { render } from 'preact';
import { ask } from '../../lib/app-client.ts';
import { t } from '../../lib/i18n.ts';
import { type FirstAnswers, OverlayApp } from '../../ui/overlay/OverlayApp.tsx';
import '../../ui/styles.css';

// Asked before the first render, both at once (OverlayApp's FirstAnswers says why); a failure is shown where the
// answer is used, so it is not also reported here as unhandled.
const first: FirstAnswers = { auth: ask('auth.status', {}), info: ask('call.info', {}) };
void first.auth?.catch(() => undefined);
void first.info?.catch(() => undefined);

document.title = t('extName');
const root = document.getElementById('app');
if (root) render(<OverlayApp search={location.search} first={first} />, root);
