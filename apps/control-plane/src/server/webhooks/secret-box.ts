import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';

/**
 * Endpoint secrets at rest: AES-256-GCM under a key from the environment (GUILDMINT_SECRETS_KEY), the
 * key's id written beside the ciphertext so the key can rotate, and the row's identity as associated
 * data so a sealed secret copied onto another endpoint does not open.
 *
 * Stored form: `gmsec1:<key id>:<iv>:<ciphertext>:<tag>` (base64url). A value without the prefix is a
 * row written before encryption (plain `whsec_…`): read as it is, and sealed by `resealSecrets` or the
 * row's next write.
 */

const FORMAT = 'gmsec1';
const KEY_BYTES = 32;
const IV_BYTES = 12;

/** The key that seals new secrets, and every key (current and previous) that may open old ones, by id. */
export interface SecretKeyring {
  current: { id: string; key: Buffer };
  keys: ReadonlyMap<string, Buffer>;
}

/**
 * Development builds and tests only: a fixed, public key, so `pnpm dev` needs no setup. It protects
 * nothing; a production build refuses to start without GUILDMINT_SECRETS_KEY (see `secretKeyring`).
 */
const DEVELOPMENT_KEY = createHash('sha256').update('guildmint development secrets key').digest('base64');

function keyOf(material: string, name: string): { id: string; key: Buffer } {
  const key = Buffer.from(material.trim(), 'base64');
  if (key.length !== KEY_BYTES)
    throw new Error(`${name} must be ${KEY_BYTES} random bytes in base64 (openssl rand -base64 32)`);
  return { id: createHash('sha256').update(key).digest('hex').slice(0, 12), key };
}

/**
 * The keyring from the settings: `current` seals, `previous` (comma-separated, the keys rotated out)
 * still open rows sealed before the rotation. Without `current`: the development key, unless in production.
 */
export function secretKeyring(o: {
  current: string | undefined;
  previous?: string | undefined;
  production: boolean;
}): SecretKeyring {
  if (!o.current && o.production)
    throw new Error(
      'GUILDMINT_SECRETS_KEY is required in production: it encrypts webhook endpoint secrets (openssl rand -base64 32)',
    );
  const current = keyOf(o.current ?? DEVELOPMENT_KEY, 'GUILDMINT_SECRETS_KEY');
  const previous = (o.previous ?? '')
    .split(',')
    .filter((k) => k.trim() !== '')
    .map((k) => keyOf(k, 'GUILDMINT_SECRETS_KEY_PREVIOUS'));
  const keys = new Map([...previous, current].map((k) => [k.id, k.key]));
  return { current, keys };
}

const b64 = (bytes: Buffer) => bytes.toString('base64url');

/** `secret` sealed under the current key, bound to `context` (which endpoint, which column). */
export function sealSecret(ring: SecretKeyring, secret: string, context: string): string {
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv('aes-256-gcm', ring.current.key, iv).setAAD(Buffer.from(context));
  const sealed = Buffer.concat([cipher.update(secret, 'utf8'), cipher.final()]);
  return [FORMAT, ring.current.id, b64(iv), b64(sealed), b64(cipher.getAuthTag())].join(':');
}

/** The secret in a stored value (a plain one, from before encryption, as it is). */
export function openSecret(ring: SecretKeyring, stored: string, context: string): string {
  if (!stored.startsWith(`${FORMAT}:`)) return stored;
  const [, keyId, iv, sealed, tag] = stored.split(':') as [string, string, string, string, string];
  const key = ring.keys.get(keyId);
  if (!key)
    throw new Error(
      `a webhook secret is sealed with key ${keyId}, which is not configured: set it in GUILDMINT_SECRETS_KEY_PREVIOUS`,
    );
  const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64url'))
    .setAAD(Buffer.from(context))
    .setAuthTag(Buffer.from(tag, 'base64url'));
  return Buffer.concat([decipher.update(Buffer.from(sealed, 'base64url')), decipher.final()]).toString(
    'utf8',
  );
}

/** Whether a stored value is plain, or sealed under a key other than the current one. */
export function needsReseal(ring: SecretKeyring, stored: string): boolean {
  return !stored.startsWith(`${FORMAT}:${ring.current.id}:`);
}
