/**
 * Which Meilisearch servers Acervo works with, and the index settings each accepts. Settings with a
 * field a server does not know are refused whole (its settings are deserialized with unknown fields
 * denied), so every version gets only the fields it has:
 *
 * - 1.10 is the oldest supported: `a OR b` runs as a federated multi-search, which 1.10 brought
 *   (meilisearch-query.ts), and exclusions (`-word`) need 1.8's negative operator.
 * - `typoTolerance.disableOnNumbers` came in 1.15 (release notes, "Disable typo tolerance for
 *   numbers"); before it, numbers are matched with typos like words, so a process number can also
 *   find one a digit away: a known difference on 1.10–1.14.
 */
import type { Settings } from 'meilisearch';
import { AppError } from '../errors.js';

export type Version = readonly [major: number, minor: number, patch: number];

export const OLDEST_SUPPORTED: Version = [1, 10, 0];
const DISABLE_ON_NUMBERS_FROM: Version = [1, 15, 0];

/** `1.12.3`, `v1.12.3`, `1.13.0-rc.1` → [1, 12, 3]; null when it is no version. */
export function parseVersion(text: string): Version | null {
  const match = /^v?(\d+)\.(\d+)\.(\d+)/.exec(text.trim());
  return match ? [Number(match[1]), Number(match[2]), Number(match[3])] : null;
}

export function atLeast(version: Version, wanted: Version): boolean {
  for (let i = 0; i < 3; i += 1) if (version[i] !== wanted[i]) return (version[i] as number) > (wanted[i] as number);
  return true;
}

/** The server's version, checked: SEARCH_BACKEND_UNSUPPORTED, naming the versions that work, for any other. */
export function supportedVersion(pkgVersion: string, host: string): Version {
  const version = parseVersion(pkgVersion);
  if (version === null || !atLeast(version, OLDEST_SUPPORTED)) {
    throw new AppError(
      'SEARCH_BACKEND_UNSUPPORTED',
      `Meilisearch ${pkgVersion} at ${host} is not supported: Acervo works with Meilisearch ${OLDEST_SUPPORTED.slice(0, 2).join('.')} or later (upgrade the server).`,
      { details: { host, version: pkgVersion, oldest: OLDEST_SUPPORTED.join('.') } },
    );
  }
  return version;
}

/** The settings as this server version accepts them: fields it does not have are left out. */
export function settingsForVersion(settings: Settings, version: Version): Settings {
  if (atLeast(version, DISABLE_ON_NUMBERS_FROM) || settings.typoTolerance == null) return settings;
  const { disableOnNumbers: _unknownBefore115, ...typoTolerance } = settings.typoTolerance;
  return { ...settings, typoTolerance };
}
