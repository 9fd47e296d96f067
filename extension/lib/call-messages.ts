/**
 * Messages between the call-page content script and the background. Written with zod/mini because this module
 * ships in the content script, which must stay small; these messages never carry notes or the token.
 */
import * as z from 'zod/mini';

/** 'other': a page no adapter knows, attached by hand from the toolbar. */
export const CallPlatform = z.enum(['meet', 'zoom', 'teams', 'jitsi', 'whereby', 'other']);
export type CallPlatform = z.infer<typeof CallPlatform>;
const Code = z.string().check(z.minLength(1), z.maxLength(200));
export const DetectedState = z.enum(['pre-join', 'waiting', 'in-call', 'left', 'ended']);

export const OverlayLayout = z.object({ x: z.number(), y: z.number(), collapsed: z.boolean(), hidden: z.boolean() });
export type OverlayLayout = z.infer<typeof OverlayLayout>;

/** Content script → background. */
export const CallRequest = z.discriminatedUnion('type', [
  /**
   * The call page's state changed; `code` is the meeting code from the URL. `cause` says why a call is 'left' with
   * no end screen: the page went away or navigated, or the call UI vanished.
   */
  z.object({
    type: z.literal('call.state'),
    platform: CallPlatform,
    code: Code,
    state: DetectedState,
    cause: z.optional(z.enum(['page-closed', 'ui-gone'])),
  }),
  /**
   * The user opened the companion by hand: from the launcher on a page whose state cannot be told, or on a page no
   * adapter knows. The meeting is then logged only when the user says so.
   */
  z.object({ type: z.literal('call.attach'), platform: CallPlatform, code: Code }),
  /** A page no adapter knows asks whether the user attached the companion to it (injected from the toolbar). */
  z.object({ type: z.literal('call.attached') }),
  /** A meeting page where nothing could be told for a while: noted locally per platform for the diagnostics. */
  z.object({ type: z.literal('detection.degraded'), platform: CallPlatform }),
  /** Remembered overlay position and collapsed state per platform. */
  z.object({ type: z.literal('overlay.layout.get'), platform: CallPlatform }),
  z.object({ type: z.literal('overlay.layout.set'), platform: CallPlatform, layout: OverlayLayout }),
  /** The words of the overlay frame and the launcher, in the browser's language (lib/call/strings.ts says why). */
  z.object({ type: z.literal('call.strings') }),
]);
export type CallRequest = z.infer<typeof CallRequest>;

export const LayoutResponse = z.object({ layout: z.nullable(OverlayLayout) });
const Words = z.string().check(z.maxLength(500));
export const CallStrings = z.object({
  title: Words,
  hide: Words,
  frameTitle: Words,
  expand: Words,
  collapse: Words,
  launcherOpen: Words,
  launcherHint: Words,
});
export type CallStrings = z.infer<typeof CallStrings>;
/** Answer to call.attached: attached by hand from the toolbar, or a self-hosted Jitsi origin the user added. */
export const AttachedResponse = z.object({ attached: z.boolean(), jitsi: z.boolean() });

/** Background → content script. */
export const CallCommand = z.discriminatedUnion('type', [
  /** Alt+Shift+A. */
  z.object({ type: z.literal('overlay.toggle') }),
  /** Alt+Shift+N. */
  z.object({ type: z.literal('overlay.focus-composer') }),
  /** The toolbar button on this tab: show the companion, attaching it by hand if nothing was detected. */
  z.object({ type: z.literal('overlay.show') }),
  /** "Check this call page" in the options: what the adapter sees. `redact` are names never to include. */
  z.object({ type: z.literal('diagnostics.collect'), redact: z.array(z.string()) }),
]);
export type CallCommand = z.infer<typeof CallCommand>;

export const SignalReport = z.object({
  id: z.string(),
  state: DetectedState,
  strength: z.enum(['strong', 'weak']),
  kind: z.enum(['url', 'structure', 'aria', 'text']),
  source: z.string(),
  matched: z.boolean(),
});

/** What the content script answers to diagnostics.collect: no names, no text people typed. */
export const DiagnosticsReport = z.object({
  platform: CallPlatform,
  label: z.string(),
  /** Origin and path with the meeting code replaced, no query or fragment. */
  page: z.string(),
  hasCode: z.boolean(),
  state: z.nullable(DetectedState),
  frames: z.number(),
  signals: z.array(SignalReport),
  /** The redacted page signature: tags, ids, classes, roles and ARIA labels. */
  signature: z.string(),
});
export type DiagnosticsReport = z.infer<typeof DiagnosticsReport>;

/** Content script → overlay iframe (window.postMessage): harmless UI nudges only, never data. */
export const FrameNudge = z.object({ alongside: z.literal(true), type: z.enum(['focus-composer', 'collapsed', 'expanded']) });
export type FrameNudge = z.infer<typeof FrameNudge>;
