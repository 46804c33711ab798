/**
 * The file-system and process errors that are expected, by code. A bare `catch {}` takes a permission
 * error or a full disk for "no file"; callers name the codes they mean and let the rest through.
 */

export const errorCode = (err: unknown): string | undefined => (err as NodeJS.ErrnoException | undefined)?.code;

/** The file is not there: it, or a folder on its path, does not exist (or a file stands where a folder should). */
export function isMissing(err: unknown): boolean {
  const code = errorCode(err);
  return code === 'ENOENT' || code === 'ENOTDIR';
}

/** The process (or group) is gone: ESRCH from kill(). */
export function isGone(err: unknown): boolean {
  return errorCode(err) === 'ESRCH';
}

/** `read()`, or undefined when the file is missing; any other failure is thrown. */
export function unlessMissing<T>(read: () => T): T | undefined {
  try {
    return read();
  } catch (err) {
    if (isMissing(err)) return undefined;
    throw err;
  }
}
