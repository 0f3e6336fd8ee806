/**
 * Internal: strict, allocation-light text codecs. Signatures are decoded by exact length and alphabet
 * so a truncated, padded or re-encoded signature never reaches the comparison (the CVE-2024-21491 class:
 * a verifier that compared only as many bytes as the attacker sent accepted every prefix).
 */

const BASE64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/'
const encoder = /* @__PURE__ */ new TextEncoder()

/** UTF-8 bytes of a string (lone surrogates become U+FFFD, as in every HTTP client). */
export function utf8(text: string): Uint8Array<ArrayBuffer> {
  return encoder.encode(text)
}

let base64Values: Int8Array | undefined

/**
 * Character code (0–255) → 6-bit value, or -1; built at first use so importing this module does no
 * work. 256 entries, so `code & 255` indexes it without a bounds check; codes above 255 are refused
 * separately.
 */
function base64Table(): Int8Array {
  if (base64Values) return base64Values
  const table = new Int8Array(256).fill(-1)
  for (let i = 0; i < BASE64.length; i++) table[BASE64.charCodeAt(i)] = i
  return (base64Values = table)
}

/**
 * Decodes canonical, padded standard base64, or returns undefined. With `expectedBytes` the text must
 * be exactly the encoding of that many bytes. Non-zero trailing bits are refused, so each byte string
 * has exactly one accepted spelling. `start` and `end` select a range of `text`, so a signature inside
 * a header is decoded in place, without slicing it out first.
 */
export function decodeBase64(text: string, expectedBytes?: number, start = 0, end = text.length): Uint8Array<ArrayBuffer> | undefined {
  const size = end - start
  if (size <= 0 || (size & 3) !== 0) return undefined
  const padding = text.charCodeAt(end - 1) !== 61 ? 0 : text.charCodeAt(end - 2) === 61 ? 2 : 1
  const length = (size >> 2) * 3 - padding
  if (expectedBytes !== undefined && length !== expectedBytes) return undefined
  const out = new Uint8Array(length)
  const table = base64Table()
  // Whole groups of four characters first (a signature is almost all of them), then the padded tail.
  // A character outside the alphabet makes `value` negative through the sign bit; one above 255 sets
  // a bit of `wide`. This runs on every verify, so it is written out flat, with no call per character.
  const whole = padding === 0 ? end : end - 4
  let o = 0
  let wide = 0
  for (let i = start; i < whole; i += 4) {
    const a = text.charCodeAt(i)
    const b = text.charCodeAt(i + 1)
    const c = text.charCodeAt(i + 2)
    const d = text.charCodeAt(i + 3)
    const value = (table[a & 255]! << 18) | (table[b & 255]! << 12) | (table[c & 255]! << 6) | table[d & 255]!
    wide |= a | b | c | d
    if (value < 0) return undefined
    out[o] = value >> 16
    out[o + 1] = value >> 8
    out[o + 2] = value
    o += 3
  }
  if (wide > 255) return undefined
  if (padding === 0) return out
  const a = sextet(table, text, whole)
  const b = sextet(table, text, whole + 1)
  const c = padding === 1 ? sextet(table, text, whole + 2) : 0
  if ((a | b | c) < 0) return undefined
  const value = (a << 18) | (b << 12) | (c << 6)
  // Leftover bits must be zero: `AB==` and `AA==` may not both mean the same byte.
  if ((value & (padding === 2 ? 0xffff : 0xff)) !== 0) return undefined
  out[o++] = value >> 16
  if (padding === 1) out[o] = (value >> 8) & 0xff
  return out
}

/** The 6-bit value of the character at `i`, or -1 (which sets the sign bit of any group it joins). */
function sextet(table: Int8Array, text: string, i: number): number {
  const code = text.charCodeAt(i)
  return code < 256 ? table[code]! : -1
}

/** Standard base64 with padding. */
export function encodeBase64(bytes: Uint8Array): string {
  let out = ''
  let i = 0
  for (; i + 2 < bytes.length; i += 3) {
    const n = (bytes[i]! << 16) | (bytes[i + 1]! << 8) | bytes[i + 2]!
    out += BASE64[n >> 18]! + BASE64[(n >> 12) & 63]! + BASE64[(n >> 6) & 63]! + BASE64[n & 63]!
  }
  const rest = bytes.length - i
  if (rest === 1) {
    const n = bytes[i]! << 16
    out += BASE64[n >> 18]! + BASE64[(n >> 12) & 63]! + '=='
  } else if (rest === 2) {
    const n = (bytes[i]! << 16) | (bytes[i + 1]! << 8)
    out += BASE64[n >> 18]! + BASE64[(n >> 12) & 63]! + BASE64[(n >> 6) & 63]! + '='
  }
  return out
}

function hexValue(code: number): number {
  if (code >= 48 && code <= 57) return code - 48
  if (code >= 97 && code <= 102) return code - 87
  return -1
}

/** Decodes lowercase hex of exactly `expectedBytes` bytes, or returns undefined. */
export function decodeHex(text: string, expectedBytes: number): Uint8Array<ArrayBuffer> | undefined {
  if (text.length !== expectedBytes * 2) return undefined
  const out = new Uint8Array(expectedBytes)
  for (let i = 0; i < expectedBytes; i++) {
    const high = hexValue(text.charCodeAt(2 * i))
    const low = hexValue(text.charCodeAt(2 * i + 1))
    if (high < 0 || low < 0) return undefined
    out[i] = (high << 4) | low
  }
  return out
}

/** Lowercase hex. */
export function encodeHex(bytes: Uint8Array): string {
  let out = ''
  for (let i = 0; i < bytes.length; i++) out += (bytes[i]! < 16 ? '0' : '') + bytes[i]!.toString(16)
  return out
}

/** The DER header of a PKCS#8 Ed25519 private key; the 32-byte seed follows it (RFC 8410). */
export const PKCS8_ED25519_PREFIX = [0x30, 0x2e, 0x02, 0x01, 0x00, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x04, 0x22, 0x04, 0x20]

/** prefix ‖ body as one byte array, for APIs that take the message in one piece. */
export function joinMessage(prefix: string, body: string | Uint8Array<ArrayBuffer>): Uint8Array<ArrayBuffer> {
  const head = encoder.encode(prefix)
  const tail = typeof body === 'string' ? encoder.encode(body) : body
  if (head.length === 0) return tail
  const out = new Uint8Array(head.length + tail.length)
  out.set(head, 0)
  out.set(tail, head.length)
  return out
}
