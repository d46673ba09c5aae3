// A tiny UTF-8 codec: core is compiled with lib ES2022 only, which has no TextEncoder typing.

// UTF-8 bytes of a string; lone surrogates become U+FFFD, as TextEncoder does.
export function utf8Encode(text: string): Uint8Array<ArrayBuffer> {
  const out: number[] = [];
  for (const ch of text) {
    let cp = ch.codePointAt(0) as number;
    if (cp >= 0xd800 && cp <= 0xdfff) cp = 0xfffd;
    if (cp < 0x80) out.push(cp);
    else if (cp < 0x800) out.push(0xc0 | (cp >> 6), 0x80 | (cp & 63));
    else if (cp < 0x10000) out.push(0xe0 | (cp >> 12), 0x80 | ((cp >> 6) & 63), 0x80 | (cp & 63));
    else out.push(0xf0 | (cp >> 18), 0x80 | ((cp >> 12) & 63), 0x80 | ((cp >> 6) & 63), 0x80 | (cp & 63));
  }
  return Uint8Array.from(out);
}

// Strict decode: undefined for any malformed, overlong or surrogate sequence (ids must round-trip exactly).
export function utf8Decode(bytes: Uint8Array): string | undefined {
  let out = '';
  for (let i = 0; i < bytes.length; ) {
    const b = bytes[i] as number;
    let need: number;
    let cp: number;
    let min: number;
    if (b < 0x80) {
      out += String.fromCharCode(b);
      i++;
      continue;
    }
    if (b >= 0xc2 && b < 0xe0) [need, cp, min] = [1, b & 31, 0x80];
    else if (b >= 0xe0 && b < 0xf0) [need, cp, min] = [2, b & 15, 0x800];
    else if (b >= 0xf0 && b < 0xf5) [need, cp, min] = [3, b & 7, 0x10000];
    else return undefined;
    if (i + need >= bytes.length) return undefined;
    for (let k = 1; k <= need; k++) {
      const c = bytes[i + k] as number;
      if ((c & 0xc0) !== 0x80) return undefined;
      cp = (cp << 6) | (c & 63);
    }
    if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return undefined;
    out += String.fromCodePoint(cp);
    i += need + 1;
  }
  return out;
}
