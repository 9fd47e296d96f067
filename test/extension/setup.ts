import { fakeBrowser } from 'wxt/testing/fake-browser';
import { beforeEach } from 'vitest';

// Every test starts with empty storage and no listeners.
beforeEach(() => {
  fakeBrowser.reset();
});
