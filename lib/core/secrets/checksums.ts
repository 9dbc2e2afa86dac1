/**
 * Checksums that token formats carry, so a value of the right shape but the wrong
 * checksum (a typo, a made-up placeholder) is told apart from an issued token.
 */

const CRC32_TABLE: Uint32Array = (() => {
  const table = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    table[n] = c >>> 0;
  }
  return table;
})();

/** CRC-32 (IEEE 802.3) of an ASCII string. */
export function crc32(text: string): number {
  let crc = 0xffffffff;
  for (let i = 0; i < text.length; i++) crc = CRC32_TABLE[(crc ^ text.charCodeAt(i)) & 0xff] ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}

/** The base62 alphabet of GitHub's and npm's tokens: digits, then upper case, then lower case. */
export const BASE62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

/** `n` in base62, left-padded with `0` to `width` characters. */
export function base62(n: number, width: number): string {
  let out = "";
  for (let rest = n; rest > 0; rest = Math.floor(rest / 62)) out = BASE62[rest % 62] + out;
  return out.padStart(width, "0");
}

/**
 * GitHub (`ghp_` and siblings) and npm (`npm_`) tokens: a four-character prefix, 30
 * random base62 characters, and the CRC-32 of those 30 characters in six base62
 * characters.
 */
export function hasBase62Crc32(token: string, prefixLength: number): boolean {
  const body = token.slice(prefixLength, -6);
  return body.length > 0 && base62(crc32(body), 6) === token.slice(-6);
}
