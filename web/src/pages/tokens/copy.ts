/** How a copy went: straight to the clipboard, or only selected for the user to copy by hand. */
export type CopyOutcome = 'copied' | 'selected';

/** Selects the text of an element, so that Ctrl+C copies it. */
export function selectElementText(element: HTMLElement | null): void {
  if (!element) return;
  const selection = window.getSelection();
  if (!selection) return;
  const range = document.createRange();
  range.selectNodeContents(element);
  selection.removeAllRanges();
  selection.addRange(range);
}

/**
 * Copies text with the Clipboard API; where there is none (plain http on another host) or it is
 * refused, selects the element's text and tries the old copy command instead.
 */
export async function copyText(text: string, element: HTMLElement | null): Promise<CopyOutcome> {
  try {
    if (!navigator.clipboard) throw new Error('no clipboard');
    await navigator.clipboard.writeText(text);
    return 'copied';
  } catch {
    selectElementText(element);
    try {
      // Deprecated, but the only way to copy without the Clipboard API.
      return document.execCommand('copy') ? 'copied' : 'selected';
    } catch {
      return 'selected';
    }
  }
}
