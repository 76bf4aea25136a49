/**
 * A URI fit for a log line: the password of its userinfo (`scheme://user:password@host`) replaced,
 * the rest kept, so that an operator still sees which server is meant.
 */
export function redactUri(uri: string): string {
  return uri.replace(/^([a-z][a-z0-9+.-]*:\/\/[^/@:]*):[^/@]*@/i, '$1:[redacted]@');
}
