import type { StateCreator } from 'zustand';
import type { AppState } from '../../store/appStore';

export interface KbSlice {
  /**
   * Seq of the last knowledge-base event (`kb.*`) the seat heard: the knowledge screen and the
   * suggestions read their articles again when it moves (the events carry heads, not bodies).
   */
  kbSeq: number;
}

export const createKbSlice: StateCreator<AppState, [], [], KbSlice> = () => ({ kbSeq: 0 });
