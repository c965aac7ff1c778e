/** Why an import stopped or was refused; `code` for programs, the message for the owner reading it. */
export type ImportErrorCode =
  | 'SOURCE_UNAUTHORIZED'
  | 'SOURCE_NOT_FOUND'
  | 'SOURCE_UNAVAILABLE'
  | 'SOURCE_INVALID'
  | 'CSV_INVALID';

export class ImportError extends Error {
  constructor(
    readonly code: ImportErrorCode,
    message: string,
    /** Line-numbered problems of a CSV file. */
    readonly issues: string[] = [],
  ) {
    super(message);
    this.name = 'ImportError';
  }
}
