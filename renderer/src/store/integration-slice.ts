// The system integration (helper, polkit policy, hook runtime): its state, a review of what installing or
// removing it changes, and the apply, for the Settings screen.
import type { IntegrationSlice, Slice } from './types';

export const createIntegrationSlice: Slice<IntegrationSlice> = (api) => (set, get) => ({
  integration: null,
  integrationReview: null,
  integrationBusy: null,
  integrationError: null,
  loadIntegration: async () => {
    const result = await api.invoke('integration.status');
    if (result.ok) set({ integration: result.value, integrationError: null });
    else set({ integrationError: result.error });
  },
  reviewIntegration: async (action) => {
    set({ integrationBusy: 'reviewing', integrationError: null, integrationReview: null });
    const result = await api.invoke('integration.review', { action });
    set({ integrationBusy: null, ...(result.ok ? { integrationReview: result.value } : { integrationError: result.error }) });
  },
  applyIntegration: async () => {
    const review = get().integrationReview;
    if (!review || review.blocked) return;
    set({ integrationBusy: 'applying', integrationError: null });
    const result = await api.invoke('integration.apply', { action: review.action });
    set({ integrationBusy: null, ...(result.ok ? { integration: result.value, integrationReview: null } : { integrationError: result.error }) });
  },
  discardIntegrationReview: () => set({ integrationReview: null, integrationError: null }),
});
