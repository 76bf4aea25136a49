/**
 * The one base class for Borderline's errors. `retriable` tells the caller (and the crash handler)
 * whether doing the same thing again may succeed: a database outage is retriable, a bad event is not.
 */
export class BorderlineError extends Error {
  readonly retriable: boolean;

  constructor(message: string, options: { cause?: unknown; retriable?: boolean } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.retriable = options.retriable ?? false;
  }
}

/** Configuration that cannot work: names the variable or flag and what was expected. */
export class ConfigurationError extends BorderlineError {}

/** A broker refused a message, or a request, for its size: sending it again cannot succeed. */
export class MessageTooLargeError extends BorderlineError {
  constructor(message: string, cause?: unknown) {
    super(message, { cause, retriable: false });
  }
}
