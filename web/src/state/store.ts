// A tiny external store: dispatch from anywhere (socket, fetches), read in
// React through useSyncExternalStore with a selector.
import { useSyncExternalStore } from "react";
import { initialState, reducer, type Action, type State } from "./reducer";

type Listener = () => void;

export interface Store {
  getState(): State;
  dispatch(a: Action): void;
  subscribe(l: Listener): () => void;
}

export function createStore(init: State = initialState): Store {
  let state = init;
  const listeners = new Set<Listener>();
  return {
    getState: () => state,
    dispatch(a) {
      const next = reducer(state, a);
      if (next !== state) {
        state = next;
        for (const l of listeners) l();
      }
    },
    subscribe(l) {
      listeners.add(l);
      return () => listeners.delete(l);
    },
  };
}

export const store = createStore();

export function useAppState<T>(select: (s: State) => T): T {
  return useSyncExternalStore(store.subscribe, () => select(store.getState()));
}
