/** Thrown by the signing functions when an input breaks its rule; the message names the field, the rule and what was given. */
export class SignInputError extends TypeError {
  override readonly name = 'SignInputError';
  /** The input that broke its rule, as the function names it (`appSecret`, `amount`, `transaction_fee`, …). */
  readonly field: string;
  /** The rule, as a phrase that follows the field name (`must be a non-empty string`). */
  readonly rule: string;
  /** What was given, as shown in the message (secrets by kind only). */
  readonly given: string;

  /** Builds `<field> <rule> (got <given>)`. */
  constructor(field: string, rule: string, given: string) {
    super(`${field} ${rule} (got ${given})`);
    this.field = field;
    this.rule = rule;
    this.given = given;
  }
}

/** True when `error` is a SignInputError, also one thrown by another copy of this module. */
export function isSignInputError(error: unknown): error is SignInputError {
  return error instanceof SignInputError || (error instanceof TypeError && error.name === 'SignInputError');
}
