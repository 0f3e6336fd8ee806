/** Internal: turning configured secrets into key material, with the length rules each scheme needs. */
import { decodeBase64, utf8 } from './encoding.js'
import { refuse } from './errors.js'
import type { SecretKey } from './scheme.js'

/**
 * The shortest HMAC key accepted from a provider preset. Stripe, Slack and Shopify issue 32 characters
 * or more; a shorter GitHub secret is guessable and is refused rather than silently trusted.
 */
export const MIN_PRESET_SECRET_BYTES = 16

/** A provider secret: the string's UTF-8 bytes (or the bytes given) are the HMAC key. */
export function presetSecret(value: string | Uint8Array, label: string): SecretKey {
  const bytes = typeof value === 'string' ? utf8(value) : new Uint8Array(value)
  if (bytes.length < MIN_PRESET_SECRET_BYTES) {
    throw refuse('invalid_secret', `${label} is ${bytes.length} bytes; at least ${MIN_PRESET_SECRET_BYTES} are required`)
  }
  return { kind: 'hmac', bytes }
}

/** The shortest Standard Webhooks v1 key: 24 bytes (192 bits), the spec's lower bound. */
export const MIN_STANDARD_SECRET_BYTES = 24

/**
 * A Standard Webhooks key: `whsec_<base64>` (HMAC), `whpk_<base64 of 32 bytes>` (Ed25519 public key),
 * `whsk_<base64 of the 32-byte seed, or the 64-byte seed ‖ public key>` (Ed25519 private key), bare
 * base64 (an HMAC key as svix prints it), or raw HMAC key bytes.
 */
export function standardSecret(value: string | Uint8Array, label: string): SecretKey {
  if (typeof value !== 'string') return { kind: 'hmac', bytes: standardHmacSecret(value, label) }
  if (value.startsWith('whpk_')) {
    const bytes = decodeBase64(value.slice(5), 32)
    if (!bytes) throw refuse('invalid_secret', `${label} (whpk_) must be the base64 of a 32-byte Ed25519 public key`)
    return { kind: 'ed25519-public', bytes }
  }
  if (value.startsWith('whsk_')) {
    const bytes = decodeBase64(value.slice(5))
    if (!bytes || (bytes.length !== 32 && bytes.length !== 64)) {
      throw refuse('invalid_secret', `${label} (whsk_) must be the base64 of a 32-byte Ed25519 seed or a 64-byte seed and public key`)
    }
    return { kind: 'ed25519-private', seed: bytes.slice(0, 32) }
  }
  return { kind: 'hmac', bytes: standardHmacSecret(value, label) }
}

/**
 * A Standard Webhooks v1 (HMAC) key: `whsec_<base64>`, bare base64 or raw bytes, of at least
 * {@link MIN_STANDARD_SECRET_BYTES} bytes. The caller has already routed `whpk_`/`whsk_` keys elsewhere.
 */
export function standardHmacSecret(value: string | Uint8Array, label: string): Uint8Array<ArrayBuffer> {
  let bytes: Uint8Array<ArrayBuffer> | undefined
  if (typeof value === 'string') {
    bytes = decodeBase64(value.startsWith('whsec_') ? value.slice(6) : value)
    if (!bytes) throw refuse('invalid_secret', `${label} must be whsec_ followed by base64 (or a whpk_/whsk_ Ed25519 key)`)
  } else {
    bytes = new Uint8Array(value)
  }
  if (bytes.length < MIN_STANDARD_SECRET_BYTES) {
    throw refuse('invalid_secret', `${label} holds ${bytes.length} bytes of key (after base64 decoding); Standard Webhooks v1 secrets need at least ${MIN_STANDARD_SECRET_BYTES}`)
  }
  return bytes
}

/**
 * The `secret` option (one secret or a rotation list) as key material, each checked by `parse`. A
 * `Secret` is revealed here and nowhere else; one from another copy of wirekit fails `instanceof`, so
 * anything with a `reveal()` counts.
 */
export function revealSecrets<Key>(option: unknown, parse: (value: string | Uint8Array, label: string) => Key): Key[] {
  const list: readonly unknown[] = Array.isArray(option) ? option : [option]
  if (list.length === 0) throw refuse('invalid_secret', 'no secret was given')
  return list.map((value, index) => {
    const label = list.length === 1 ? 'the secret' : `secret[${index}]`
    const revealed = typeof (value as { reveal?: unknown } | null)?.reveal === 'function' ? (value as { reveal(): unknown }).reveal() : value
    if (typeof revealed !== 'string' && !(revealed instanceof Uint8Array)) throw refuse('invalid_secret', `${label} must be a string or bytes`)
    return parse(revealed, label)
  })
}
