// Settings: server URL, sign-in with an invitation, self-hosted Jitsi origins.
import { render } from 'preact';
import { t } from '../../lib/i18n.ts';
import { OptionsApp } from '../../ui/options/OptionsApp.tsx';
import { setFavicon } from '../../ui/components/Logo.tsx';
import '../../ui/styles.css';

document.title = t('page_settings');
setFavicon(document);
const root = document.getElementById('app');
if (root) render(<OptionsApp />, root);
