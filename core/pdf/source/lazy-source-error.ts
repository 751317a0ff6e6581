/**
 * Why a file (or a page of it) cannot be read page by page. Never shown to a user: the decoder
 * then reads the file's pixels instead of copying its pages (pdf-decoder.ts).
 */
export class LazySourceError extends Error {}
