// React access to the store: one provider, and a hook that selects with useShallow so components only
// re-render when what they read changes.
import { createContext, useContext, type ReactNode } from 'react';
import { useStore } from 'zustand';
import { useShallow } from 'zustand/react/shallow';
import type { AppStore } from './store';
import type { AppState } from './types';

const StoreContext = createContext<AppStore | null>(null);

export const StoreProvider = ({ store, children }: { store: AppStore; children: ReactNode }) => (
  <StoreContext.Provider value={store}>{children}</StoreContext.Provider>
);

export const useAppStore = <T,>(selector: (state: AppState) => T): T => {
  const store = useContext(StoreContext);
  if (!store) throw new Error('useAppStore outside StoreProvider');
  return useStore(store, useShallow(selector));
};
