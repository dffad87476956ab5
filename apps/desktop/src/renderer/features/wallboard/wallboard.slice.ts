import type { StateCreator } from 'zustand';
import type { DeskMetrics } from '../../realtime/contract';
import type { AppState } from '../../store/appStore';

/** The wallboard's numbers: the latest `wallboard.metrics` only, never a growing history. */
export interface WallboardSlice {
  deskMetrics: DeskMetrics | null;
  /** Local time the latest metrics arrived. */
  deskMetricsAt: number | null;
  setDeskMetrics(metrics: DeskMetrics, at: number): void;
  clearDeskMetrics(): void;
}

export const createWallboardSlice: StateCreator<AppState, [], [], WallboardSlice> = (set) => ({
  deskMetrics: null,
  deskMetricsAt: null,
  setDeskMetrics: (metrics, at) => set({ deskMetrics: metrics, deskMetricsAt: at }),
  clearDeskMetrics: () => set({ deskMetrics: null, deskMetricsAt: null }),
});
