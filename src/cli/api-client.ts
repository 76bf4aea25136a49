import type { Command } from 'commander';
import { apiPath } from '../api/api-path.js';
import { BorderlineError } from '../errors/borderline-error.js';

/** Where the API runs and how to reach it, from flags or environment. */
export interface ApiTarget {
  url: string;
  token?: string;
  json?: boolean;
}

/** The API answered with an error: the message is the server's own, which names the parameter. */
export class ApiError extends BorderlineError {}

/** The flags every command that asks a running tracker takes; defaults from BORDERLINE_URL and BORDERLINE_API_TOKEN. */
export function addApiTarget(command: Command, env: Readonly<Record<string, string | undefined>>): Command {
  return command
    .option('--url <url>', 'the tracker API (env BORDERLINE_URL)', env.BORDERLINE_URL ?? 'http://127.0.0.1:8080')
    .option('--token <token>', 'bearer token when the API requires one (env BORDERLINE_API_TOKEN)', env.BORDERLINE_API_TOKEN)
    .option('--json', 'print the API answer as JSON, for scripts');
}

/**
 * Asks the tracker's API (docs/api.md): GET with the defined parameters, or POST `post` as JSON.
 * Rejects with ApiError naming what to fix: a bad URL, a tracker that does not answer (retriable), a
 * missing token, or the server's own message.
 */
export async function callApi(
  target: ApiTarget,
  path: string,
  params: Record<string, string | number | undefined>,
  post?: object,
): Promise<unknown> {
  if (!/^https?:\/\/[^/]/i.test(target.url)) {
    throw new ApiError(
      `--url (or BORDERLINE_URL) must start with http:// or https://, e.g. http://${target.url.replace(/^\w+:\/\//, '') || '127.0.0.1:8080'}; got "${target.url}"`,
    );
  }
  const url = `${target.url.replace(/\/$/, '')}${apiPath(path, params)}`;
  let response: Response;
  try {
    const auth: Record<string, string> = target.token ? { authorization: `Bearer ${target.token}` } : {};
    response = await fetch(
      url,
      post ? { method: 'POST', headers: { ...auth, 'content-type': 'application/json' }, body: JSON.stringify(post) } : { headers: auth },
    );
  } catch (error) {
    throw new ApiError(
      `cannot reach the tracker at ${target.url} (${(error as Error).message}); is \`borderline serve\` running? Set --url or BORDERLINE_URL.`,
      { retriable: true },
    );
  }
  const body = (await response.json().catch(() => ({}))) as { error?: string };
  if (response.status === 401) throw new ApiError(`${body.error ?? 'unauthorized'}: pass --token or set BORDERLINE_API_TOKEN`);
  if (!response.ok) throw new ApiError(body.error ?? `the tracker answered ${response.status}`, { retriable: response.status >= 500 });
  return body;
}
