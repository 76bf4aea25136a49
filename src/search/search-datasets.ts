/**
 * Ranked dataset search (issue 15, item 3): what the search box asks. Every word of the text must
 * occur in "namespace name" (as the page shows a dataset), case-insensitively; matches rank by how
 * well the name answers: the whole text is the name (or "namespace name") first, then names
 * starting with a word, then names holding every word, then the rest; shorter names first within a
 * rank, then by namespace and name. The Cypher twin is SEARCH in
 * src/adapters/neo4j/lineage-query-statements.ts.
 */

/** The words of a search text, lower case (an empty text has none and matches every dataset). */
export const searchWords = (text: string): string[] => text.toLowerCase().split(/\s+/).filter(Boolean);

/** The rank of a dataset for a text (higher first), or undefined when it does not match. */
export function searchRank(namespace: string, name: string, text: string): number | undefined {
  const words = searchWords(text);
  const nm = name.toLowerCase();
  const full = `${namespace.toLowerCase()} ${nm}`;
  if (!words.every((w) => full.includes(w))) return undefined;
  const whole = words.join(' ');
  if (words.length > 0 && (nm === whole || full === whole)) return 3;
  if (words.some((w) => nm.startsWith(w))) return 2;
  if (words.length > 0 && words.every((w) => nm.includes(w))) return 1;
  return 0;
}

/** The order of ranked matches: rank, then shorter names, then namespace and name. */
export function compareSearchMatches(
  a: { rank: number; namespace: string; name: string },
  b: { rank: number; namespace: string; name: string },
): number {
  return (
    b.rank - a.rank ||
    a.name.length - b.name.length ||
    (a.namespace < b.namespace ? -1 : a.namespace > b.namespace ? 1 : 0) ||
    (a.name < b.name ? -1 : a.name > b.name ? 1 : 0)
  );
}

/** One page of a ranked search, with how many datasets match in all. */
export interface SearchPage<T> {
  datasets: T[];
  total: number;
  offset: number;
  truncated: boolean;
}
