/** A dataset as the page names it (what the search, the addresses and the API's node questions take). */
export type DatasetRef = { kind: 'dataset'; namespace: string; name: string; region?: string; provider?: string };
