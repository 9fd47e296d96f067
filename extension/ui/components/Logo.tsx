/**
 * The Alongside mark, from the PNGs the build renders into the package (extension/build/icons.ts): a file of the
 * extension's own origin, not a data: URL, so the pages' DOM holds no data: or script URL at all (the XSS suite,
 * test/e2e/xss.test.ts, flags any).
 */
const iconPath = (size: 16 | 32 | 48 | 128) => `/icons/alongside-${size}.png`;

/** The Alongside mark next to a page title; decorative (the title says the name). */
export function Logo({ size = 24 }: { size?: number }) {
  // Twice the shown size where there is one, for high-density screens.
  return <img class="logo" src={iconPath(size * 2 <= 32 ? 32 : size * 2 <= 48 ? 48 : 128)} alt="" width={size} height={size} />;
}

/** Gives an extension page the mark as its tab icon (Chrome would show the 16 px manifest icon; Firefox needs a link). */
export function setFavicon(doc: Document): void {
  const link = doc.createElement('link');
  link.rel = 'icon';
  link.type = 'image/png';
  link.href = iconPath(32);
  doc.head.append(link);
}
