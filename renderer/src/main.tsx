// Renderer entry: pick the API (Electron preload or browser mode), create the store, render.
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { resolveApi } from './api/api';
import { App } from './App';
import { StoreProvider } from './store/context';
import { connectEvents, createAppStore } from './store/store';
import './styles.css';

const api = resolveApi();
const store = createAppStore(api);
connectEvents(api, store);

const root = document.getElementById('root');
if (root)
  createRoot(root).render(
    <StrictMode>
      <StoreProvider store={store}>
        <App store={store} />
      </StoreProvider>
    </StrictMode>,
  );
