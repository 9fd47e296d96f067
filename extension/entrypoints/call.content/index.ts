import { defineContentScript } from 'wxt/utils/define-content-script';
import { startCallCompanion } from '../../lib/call/companion.ts';
import { matchPatterns } from '../../platforms/index.ts';

export default defineContentScript({
  matches: matchPatterns,
  runAt: 'document_idle',
  main(ctx) {
    void startCallCompanion(window, ctx.signal);
  },
});
