/** Error codes of the SLA domain; the GraphQL layer maps them exhaustively. */
export const SLA_ERROR_CODES = ['INVALID_CALENDAR', 'INVALID_SLA', 'INVALID_INPUT', 'NO_BUSINESS_TIME'] as const;
export type SlaErrorCode = (typeof SLA_ERROR_CODES)[number];

export class SlaError extends Error {
  readonly code: SlaErrorCode;
  /** One readable line per problem, e.g. `week.mon[1]: 11:00–13:00 overlaps 09:00–12:00`. */
  readonly issues: readonly string[];

  constructor(code: SlaErrorCode, message: string, issues: readonly string[] = []) {
    super(issues.length > 0 ? `${message}: ${issues.join('; ')}` : message);
    this.name = 'SlaError';
    this.code = code;
    this.issues = issues;
  }
}
