/**
 * The text of txgate's browser client as `npm run build` emits it (dist/src/browser/index.js, a bundled ES module
 * with no imports), for the demo page to load. wrangler.toml's `[[rules]]` make this import a Text module, both in
 * `wrangler dev` and in the workerd test pool; tsc still sees the module's own declarations, hence the cast.
 */
import * as built from "../../dist/src/browser/index.js";

/** The browser client's JavaScript, served at `/demo/txgate-browser.js`. */
export const browserClientSource: string = (built as unknown as { default: string }).default;
