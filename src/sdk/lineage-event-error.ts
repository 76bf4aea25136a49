import { BorderlineError } from '../errors/borderline-error.js';

/** An event the SDK refused to send, with one line per problem (field path and rule broken). */
export class LineageEventError extends BorderlineError {
  constructor(
    readonly operation: string,
    readonly problems: string[],
  ) {
    super(`invalid ${operation} event: ${problems.join('; ')}`);
  }
}
