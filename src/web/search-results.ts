import type { DatasetRef } from './dataset-ref.js';

// The search box's list as pure functions: pages of results added up, and where the arrow keys go.

/** Results asked for at a time ("more results" asks for the next). */
export const SEARCH_PAGE = 15;

/** One answer of `GET /api/v1/datasets`. */
export interface SearchAnswer {
  datasets: DatasetRef[];
  total: number;
  truncated: boolean;
}

/** The results shown after an answer: a first page replaces them, a later one adds to them; with the lines around them. */
export function searchResults(shown: readonly DatasetRef[], offset: number, answer: SearchAnswer) {
  const datasets = offset === 0 ? answer.datasets : [...shown, ...answer.datasets];
  return {
    datasets,
    summary: answer.total === 0 ? 'no dataset matches' : `${datasets.length} of ${answer.total.toLocaleString('en')} datasets`,
    more: answer.truncated ? `more results (${(answer.total - datasets.length).toLocaleString('en')} left)` : undefined,
  };
}

/**
 * Where ArrowDown and ArrowUp move from option `at` (-1: the text box) among `count` options: down
 * stops at the last, up from the first goes back to the text box (-1).
 */
export function nextOption(at: number, count: number, key: 'ArrowDown' | 'ArrowUp'): number {
  return key === 'ArrowDown' ? Math.min(at + 1, count - 1) : Math.max(at - 1, -1);
}
