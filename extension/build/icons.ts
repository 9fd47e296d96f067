import { Resvg } from '@resvg/resvg-js';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { ICON_SIZES, type IconVariant, iconPath, markSvg } from '../../shared/brand/mark.ts';

/** Store-icon padding in grid units: the 128 px icon's artwork fills 96 px (see shared/brand/mark.ts). */
const STORE_PADDING = (128 / 96 - 1) * 64;

/** The SVG of one icon file: full-bleed toolbar sizes, note lines from 32 px, the 128 px store icon padded. */
export function iconSvg(variant: IconVariant, size: number): string {
  return markSvg({ inCall: variant === 'in-call', detail: size >= 32, padding: size === 128 ? STORE_PADDING : 0 });
}

/**
 * Rasterises the mark into `dir` as every icon the manifest and the toolbar states name (iconPath), with resvg
 * (@resvg/resvg-js 2.6: `new Resvg(svg, { fitTo: { mode: 'width', value } }).render().asPng()`, its index.d.ts). Returns the
 * files written, relative to `dir`. Runs in WXT's build:publicAssets hook, so every build has them and none is
 * committed.
 */
export function writeIcons(dir: string): string[] {
  const written: string[] = [];
  for (const variant of ['normal', 'in-call'] as const) {
    for (const size of ICON_SIZES) {
      const relative = iconPath(variant, size);
      const png = new Resvg(iconSvg(variant, size), { fitTo: { mode: 'width', value: size } }).render().asPng();
      const file = join(dir, relative);
      mkdirSync(dirname(file), { recursive: true });
      writeFileSync(file, png);
      written.push(relative);
    }
  }
  return written;
}
