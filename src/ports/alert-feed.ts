import type { Alert } from '../policy/alert.js';

/** Alerts as they are published (by any tracker process), for live views. */
export interface AlertFeed {
  /** Calls `listener` with each alert state published from now on; returns the unsubscribe. */
  subscribe(listener: (alert: Alert) => void): () => void;
  /** Resolves once the feed is following the alerts (nothing published after this is missed). */
  ready(): Promise<void>;
}
