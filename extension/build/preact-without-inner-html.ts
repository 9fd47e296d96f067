import type { Plugin } from 'vite';

/**
 * Removes Preact's `dangerouslySetInnerHTML` support from the extension bundle: the one `innerHTML` assignment in
 * Preact's diff (preact/src/diff/index.js, `dom.innerHTML = newHtml.__html`) is what Mozilla's addons-linter reports
 * as UNSAFE_VAR_ASSIGNMENT (eslint-plugin-no-unsanitized) in the shared chunk; react-dom has the same finding
 * (facebook/react issue #21993). We never set HTML from strings, so the assignment becomes a throw, and the build
 * fails if any of our own modules names the prop, so nobody can start relying on it without noticing.
 */
export function preactWithoutInnerHtml(): Plugin {
  // Preact's published bundle (dist/preact.mjs, minified): `<dom>.innerHTML=<vnodeHtml>.__html`.
  const assignment = /\b([A-Za-z_$][\w$]*)\.innerHTML=([A-Za-z_$][\w$]*)\.__html\b/g;
  return {
    name: 'alongside:preact-without-inner-html',
    enforce: 'pre',
    transform(code, id) {
      const path = id.split('?')[0] ?? id;
      if (/[\\/]node_modules[\\/]preact[\\/]dist[\\/]preact\.m?js$/.test(path)) {
        const found = code.match(assignment)?.length ?? 0;
        // Fail loudly when a Preact update changes the shape: the linter check would fail anyway, this says why.
        if (found !== 1) this.error(`expected one innerHTML assignment in ${path}, found ${found}: update extension/build/preact-without-inner-html.ts`);
        return { code: code.replace(assignment, '(()=>{throw new Error("dangerouslySetInnerHTML is not supported in Alongside")})()'), map: null };
      }
      if (!path.includes('node_modules') && /\.[jt]sx?$/.test(path) && code.includes('dangerouslySetInnerHTML')) {
        this.error(`${path} uses dangerouslySetInnerHTML, which the extension build removes (see extension/build/preact-without-inner-html.ts)`);
      }
      return null;
    },
  };
}
