// The first-run welcome page (issue 12), opened by the background on install.
import { render } from 'preact';
import { t } from '../../lib/i18n.ts';
import { WelcomeApp } from '../../ui/welcome/WelcomeApp.tsx';
import { setFavicon } from '../../ui/components/Logo.tsx';
import '../../ui/styles.css';

document.title = t('page_welcome');
setFavicon(document);
const root = document.getElementById('app');
// WXT's built-in import.meta.env.FIREFOX: true in the Firefox build (wxt.dev guide, environment variables).
if (root) render(<WelcomeApp firefox={import.meta.env.FIREFOX} />, root);
