import { fakeBrowser } from 'wxt/testing/fake-browser';
import { beforeEach } from 'vitest';
import { getMessage } from './i18n-fake.ts';

const useRealMessages = () => {
  fakeBrowser.i18n.getMessage = getMessage as typeof fakeBrowser.i18n.getMessage;
  fakeBrowser.i18n.getUILanguage = () => 'en';
};
// Modules may read a message as they load, before any test.
useRealMessages();

// Every test starts with empty storage and no listeners, and with the real English messages behind browser.i18n.
beforeEach(() => {
  fakeBrowser.reset();
  useRealMessages();
});
