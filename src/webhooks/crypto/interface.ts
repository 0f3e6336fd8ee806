/** Internal: what a webhook crypto backend is (node:crypto's and Web Crypto's implement it; backend.ts picks one). */

/** A value now, or later. The Node backend answers synchronously; Web Crypto never does. */
export type MaybePromise<T> = T | Promise<T>

/** A body as the verifier holds it: the caller's string, or its bytes. */
export type BodyInput = string | Uint8Array<ArrayBuffer>

/** One HMAC-SHA256 secret, prepared once (a KeyObject or a CryptoKey) and reused for every call. */
export interface HmacKey {
  /** True when any of `signatures` is HMAC(prefix ‖ body), compared in constant time. */
  verify(prefix: string, body: BodyInput, signatures: readonly Uint8Array<ArrayBuffer>[]): MaybePromise<boolean>
  /** HMAC(prefix ‖ body). */
  sign(prefix: string, body: BodyInput): MaybePromise<Uint8Array<ArrayBuffer>>
}

/** One Ed25519 key; `sign` exists only for private keys. */
export interface Ed25519Key {
  /** True when any of `signatures` is a valid signature of `message`. */
  verify(message: Uint8Array<ArrayBuffer>, signatures: readonly Uint8Array<ArrayBuffer>[]): MaybePromise<boolean>
  sign?(message: Uint8Array<ArrayBuffer>): MaybePromise<Uint8Array<ArrayBuffer>>
}

/** What the verifier needs from a crypto library. */
export interface CryptoBackend {
  readonly name: WebhookCryptoBackend
  hmac(secret: Uint8Array<ArrayBuffer>): HmacKey
  ed25519Public(publicKey: Uint8Array<ArrayBuffer>): Ed25519Key
  ed25519Private(seed: Uint8Array<ArrayBuffer>): Ed25519Key
}

/**
 * Which crypto to use: `'auto'` takes node:crypto where this build looks for it and the runtime has it
 * (Node, Bun, Deno) and Web Crypto elsewhere (browsers and Workers, whose build does not look).
 */
export type CryptoPreference = 'auto' | 'node' | 'web'

/** The crypto a verifier runs on: node:crypto (`createHmac` + `timingSafeEqual`) or Web Crypto (`subtle.verify`). */
export type WebhookCryptoBackend = 'node' | 'web'
