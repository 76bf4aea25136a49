/**
 * The path of an API call, `/api/v1/<path>?<query>`, with the parameters that are set (undefined ones
 * left out): what the CLI and the page both ask (no zod here: the page bundles it).
 */
export function apiPath(path: string, params: Readonly<Record<string, string | number | undefined>> = {}): string {
  const query = new URLSearchParams(
    Object.entries(params).flatMap(([k, v]) => (v === undefined ? [] : [[k, String(v)] as [string, string]])),
  );
  return `/api/v1/${path.replace(/^\//, '')}${query.size > 0 ? `?${query.toString()}` : ''}`;
}
