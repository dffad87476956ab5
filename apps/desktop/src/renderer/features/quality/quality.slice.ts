import type { StateCreator } from 'zustand';
import type { AppState } from '../../store/appStore';

export interface QualitySlice {
  /**
   * Seq of the last QA review event (`qa.*`, decision 61) the seat heard: the QA and scorecard
   * screens read their data again when it moves, so reviewers see each other's verdicts.
   */
  qaSeq: number;
}

export const createQualitySlice: StateCreator<AppState, [], [], QualitySlice> = () => ({
  qaSeq: 0,
});
