import { AppError } from '../../core/errors.js';

/** The library folder must come from --library, ACERVO_LIBRARY or the config file. */
export function requireLibrary(library: string | undefined): string {
  if (!library) {
    throw new AppError('USAGE', 'No library folder: pass --library DIR (or set ACERVO_LIBRARY, or `library:` in acervo.yaml).');
  }
  return library;
}
