/** The search box's input id: the `f` shortcut and the palette focus it. */
export const SEARCH_INPUT_ID = 'console-search';

/** Focuses the console's search box and selects what it holds. */
export function focusSearchBox(): void {
  const input = document.getElementById(SEARCH_INPUT_ID);
  if (input instanceof HTMLInputElement) {
    input.focus();
    input.select();
  }
}
