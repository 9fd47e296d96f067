import { markDataUrl } from '../../../shared/brand/mark.ts';

/** The Alongside mark next to a page title; decorative (the title says the name). */
export function Logo({ size = 24 }: { size?: number }) {
  return <img class="logo" src={markDataUrl({ detail: size >= 32 })} alt="" width={size} height={size} />;
}

/** Gives an extension page the mark as its tab icon (Chrome would show the 16 px manifest icon; Firefox needs a link). */
export function setFavicon(doc: Document): void {
  const link = doc.createElement('link');
  link.rel = 'icon';
  link.type = 'image/svg+xml';
  link.href = markDataUrl({ detail: false });
  doc.head.append(link);
}
