import { useSyncExternalStore } from 'react';

/** What the app knows of its graphql-ws socket, shown in the status line. */
export interface LiveConnectionState {
  phase: 'connecting' | 'connected' | 'retrying' | 'ended';
  /** The close code of the last close; set once the socket closed at least once. */
  closeCode: number | null;
  /** How many times a socket was opened (the first connection and every reconnect). */
  attempts: number;
}

let state: LiveConnectionState = { phase: 'connecting', closeCode: null, attempts: 0 };
const listeners = new Set<() => void>();

export function updateLiveConnection(change: Partial<LiveConnectionState>): void {
  state = { ...state, ...change };
  for (const listener of listeners) listener();
}

export function liveConnectionState(): LiveConnectionState {
  return state;
}

export function useLiveConnection(): LiveConnectionState {
  return useSyncExternalStore(
    (listener) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    () => state,
  );
}
