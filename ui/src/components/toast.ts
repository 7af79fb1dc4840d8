// The toast: "3 expenses deleted · Undo" for a few seconds after a delete, or a short notice.
// Ctrl+Z runs the same undo while the toast is up. One toast at a time: a new one replaces
// it, and an older delete simply stays deleted, as it would after the timeout.
import { byId } from "../dom";
import { messageOf } from "../forms";

/** How long an undo stays on offer. */
const UNDO_FOR_MS = 7000;
/** How long a plain notice stays. */
const NOTICE_FOR_MS = 3000;

let pendingUndo: (() => Promise<void>) | null = null;
let timer: number | undefined;

function parts(): { toast: HTMLElement; message: HTMLElement; undo: HTMLButtonElement } {
  return {
    toast: byId("toast", HTMLElement),
    message: byId("toast-message", HTMLElement),
    undo: byId("toast-undo", HTMLButtonElement),
  };
}

function hide(): void {
  window.clearTimeout(timer);
  pendingUndo = null;
  parts().toast.hidden = true;
}

function show(message: string, undo: (() => Promise<void>) | null): void {
  window.clearTimeout(timer);
  const { toast, message: text, undo: button } = parts();
  pendingUndo = undo;
  text.textContent = message;
  button.hidden = undo === null;
  toast.hidden = false;
  timer = window.setTimeout(hide, undo === null ? NOTICE_FOR_MS : UNDO_FOR_MS);
}

/** Wires the toast's buttons; called once at start-up. */
export function startToast(): void {
  parts().undo.addEventListener("click", () => {
    void undoLast();
  });
  byId("toast-close", HTMLButtonElement).addEventListener("click", hide);
}

/** Shows `message` with an Undo button that calls `undo`. */
export function showUndoToast(message: string, undo: () => Promise<void>): void {
  show(message, undo);
}

/** Shows `message` alone (a change that needs no undo). */
export function showNotice(message: string): void {
  show(message, null);
}

/** Whether Ctrl+Z has something to undo right now. */
export function canUndo(): boolean {
  return pendingUndo !== null;
}

/** Runs the pending undo, if any (the Undo button and Ctrl+Z). */
export async function undoLast(): Promise<void> {
  const undo = pendingUndo;
  if (undo === null) {
    return;
  }
  pendingUndo = null;
  try {
    await undo();
    show("Restored.", null);
  } catch (error: unknown) {
    show(`Could not undo: ${messageOf(error)}`, null);
  }
}
