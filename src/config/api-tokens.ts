import { z } from 'zod';

/** An API token and the name triage records for whoever uses it (docs/contract.md §12). */
export interface ApiToken {
  name: string;
  token: string;
}

// RFC 6750's token68 characters: what a client can send after "Bearer " and the server compares.
const Token = z
  .string()
  .min(16, 'each token must be at least 16 characters')
  .regex(/^[A-Za-z0-9._~+/-]+=*$/, 'each token may contain only letters, digits and . _ ~ + / - (then = padding), as a bearer token must');
const Name = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._@-]{0,63}$/, 'a token name is letters, digits and . _ @ - (at most 64)');

/**
 * BORDERLINE_API_TOKENS: comma-separated `name:token` (`alice:<token>,ci:<token>`) or bare tokens,
 * which are named `token-1`, `token-2`, … in the order given. A name may not repeat.
 */
export const ApiTokens = z
  .string()
  .transform((s, ctx): ApiToken[] => {
    const items = s
      .split(',')
      .map((t) => t.trim())
      .filter((t) => t.length > 0);
    let bare = 0;
    const tokens: ApiToken[] = [];
    for (const item of items) {
      const colon = item.indexOf(':');
      const name = colon < 0 ? `token-${(bare += 1)}` : item.slice(0, colon);
      const token = colon < 0 ? item : item.slice(colon + 1);
      for (const [schema, value] of [
        [Name, name],
        [Token, token],
      ] as const) {
        const checked = schema.safeParse(value);
        if (!checked.success) ctx.addIssue({ code: 'custom', message: checked.error.issues[0]?.message ?? 'invalid' });
      }
      if (tokens.some((t) => t.name === name)) ctx.addIssue({ code: 'custom', message: `the token name "${name}" is given twice` });
      tokens.push({ name, token });
    }
    return tokens;
  })
  .describe('comma-separated name:token pairs (or bare tokens, named token-1, token-2, …)');
