import { hash, verify } from "@node-rs/argon2";

// OWASP's argon2id baseline (19 MiB, 2 passes, 1 lane). The algorithm is spelled as its number
// because @node-rs/argon2 exports it as a `const enum`, which isolatedModules cannot import;
// 2 is Algorithm.Argon2id (a test checks the `$argon2id$` prefix).
const ARGON2ID_OPTIONS = { algorithm: 2, memoryCost: 19_456, timeCost: 2, parallelism: 1, outputLen: 32 } as const;

export async function hashPassword(plain: string): Promise<string> {
  return hash(plain, ARGON2ID_OPTIONS);
}

/** False for a wrong password and for a stored value that is not an argon2 hash. */
export async function verifyPassword(passwordHash: string, plain: string): Promise<boolean> {
  try {
    return await verify(passwordHash, plain);
  } catch {
    return false;
  }
}

let dummyHash: Promise<string> | undefined;

/**
 * Spends the time of one real verification, so a log-in with an unknown email takes as long as
 * one with a wrong password and response times do not reveal which accounts exist.
 */
export async function verifyDummyPassword(plain: string): Promise<false> {
  dummyHash ??= hashPassword("enlace-timing-equalizer-not-a-real-password");
  await verifyPassword(await dummyHash, plain);
  return false;
}
