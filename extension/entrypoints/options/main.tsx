// Settings: server URL, sign-in with an invitation, self-hosted Jitsi origins.
import { render } from 'preact';
import { OptionsApp } from '../../ui/options/OptionsApp.tsx';
import { setFavicon } from '../../ui/components/Logo.tsx';
import '../../ui/styles.css';

setFavicon(document);
const root = document.getElementById('app');
if (root) render(<OptionsApp />, root);
