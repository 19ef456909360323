/**
 * MD5 alone, for `emailHash`'s dynamic `import()`: a bundler keeps every export of a module loaded that way, and
 * @noble/hashes/legacy.js also holds SHA-1 and RIPEMD-160, which nothing here uses. Re-exported from a module of
 * its own, the other two are left out of the bundle.
 */
export { md5 } from "@noble/hashes/legacy.js";
