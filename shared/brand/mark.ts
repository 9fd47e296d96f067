/**
 * Alongside's mark, the SVG source of every icon: two speech bubbles side by side, overlapping, one per partner, on
 * a rounded blue tile. Drawn on a 128-unit grid with shapes thick enough to read at 16 px. Pure (no DOM): the
 * extension build rasterises it to PNGs (extension/build/icons.ts), the pages and the invitation page use it as SVG.
 *
 * Variants:
 * - `inCall`: a green "live" dot at the top right, the toolbar icon while the user is in a call.
 * - `padding`: transparent margin in grid units. The store icon wants its artwork at 96 of 128 px with 16 px
 *   transparent on each side (https://developer.chrome.com/docs/webstore/images, "Extension icon"); the toolbar
 *   sizes use the full square, where every pixel counts.
 * - `detail`: the note lines in the front bubble, only where there are enough pixels for them (32 px and up).
 */
export const BRAND_BLUE = '#2857c5';
export const BRAND_LIGHT = '#a9c4ff';
export const LIVE_GREEN = '#1f9d55';

export interface MarkOptions {
  inCall?: boolean;
  padding?: number;
  detail?: boolean;
}

/** The front bubble (left, white): its tail points down-left. */
const FRONT = 'M30 26H68A14 14 0 0 1 82 40V64A14 14 0 0 1 68 78H44L20 98L30 78A14 14 0 0 1 16 64V40A14 14 0 0 1 30 26Z';
/** The back bubble (right, light blue): its tail points down-right. */
const BACK = 'M60 46H98A14 14 0 0 1 112 60V84A14 14 0 0 1 98 98L108 116L84 98H60A14 14 0 0 1 46 84V60A14 14 0 0 1 60 46Z';

export function markSvg({ inCall = false, padding = 0, detail = true }: MarkOptions = {}): string {
  const size = 128 + 2 * padding;
  const lines = detail
    ? `<path d="M32 44H66M32 58H56" stroke="${BRAND_BLUE}" stroke-width="7" stroke-linecap="round"/>`
    : '';
  const dot = inCall ? `<circle cx="103" cy="25" r="22" fill="${LIVE_GREEN}" stroke="#fff" stroke-width="7"/>` : '';
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="${-padding} ${-padding} ${size} ${size}" width="${size}" height="${size}">` +
    `<title>Alongside</title>` +
    `<rect x="0" y="0" width="128" height="128" rx="30" fill="${BRAND_BLUE}"/>` +
    `<path d="${BACK}" fill="${BRAND_LIGHT}"/>` +
    // The blue outline cuts a gap where the bubbles overlap, so they stay two shapes at 16 px.
    `<path d="${FRONT}" fill="#fff" stroke="${BRAND_BLUE}" stroke-width="6" stroke-linejoin="round" paint-order="stroke"/>` +
    lines +
    dot +
    `</svg>`
  );
}

/** The mark as a `data:` URL, for favicons and <img> where no file can be served (the invitation page's CSP). */
export function markDataUrl(options?: MarkOptions): string {
  return `data:image/svg+xml,${encodeURIComponent(markSvg(options))}`;
}

/** Icon files in the extension build, per toolbar state and size (PNG: Chrome takes no SVG for manifest icons). */
export const ICON_SIZES = [16, 32, 48, 128] as const;
export type IconVariant = 'normal' | 'in-call';
export const iconPath = (variant: IconVariant, size: number): string => `icons/${variant === 'normal' ? 'alongside' : 'alongside-in-call'}-${size}.png`;
