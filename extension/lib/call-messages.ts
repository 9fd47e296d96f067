/**
 * Messages between the call-page content script and the background. Written with zod/mini because this module
 * ships in the content script, which must stay small; these messages never carry notes or the token.
 */
import * as z from 'zod/mini';

const Platform = z.enum(['meet', 'zoom', 'teams', 'jitsi', 'whereby']);
const Code = z.string().check(z.minLength(1), z.maxLength(200));

/** Content script → background. */
export const CallRequest = z.discriminatedUnion('type', [
  /** The call page's state changed (lobby, joined, left); `code` is the meeting code from the URL. */
  z.object({ type: z.literal('call.state'), platform: Platform, code: Code, state: z.enum(['lobby', 'in-call', 'left']) }),
  /** Remembered overlay position and collapsed state per platform. */
  z.object({ type: z.literal('overlay.layout.get'), platform: Platform }),
  z.object({
    type: z.literal('overlay.layout.set'),
    platform: Platform,
    layout: z.object({ x: z.number(), y: z.number(), collapsed: z.boolean(), hidden: z.boolean() }),
  }),
]);
export type CallRequest = z.infer<typeof CallRequest>;

export const OverlayLayout = z.object({ x: z.number(), y: z.number(), collapsed: z.boolean(), hidden: z.boolean() });
export type OverlayLayout = z.infer<typeof OverlayLayout>;

export const LayoutResponse = z.object({ layout: z.nullable(OverlayLayout) });

/** Background → content script (keyboard commands). */
export const CallCommand = z.discriminatedUnion('type', [
  z.object({ type: z.literal('overlay.toggle') }),
  z.object({ type: z.literal('overlay.focus-composer') }),
]);
export type CallCommand = z.infer<typeof CallCommand>;

/** Content script → overlay iframe (window.postMessage): harmless UI nudges only, never data. */
export const FrameNudge = z.object({ alongside: z.literal(true), type: z.enum(['focus-composer', 'collapsed', 'expanded']) });
export type FrameNudge = z.infer<typeof FrameNudge>;
