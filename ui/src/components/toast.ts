// The undo toast: "3 expenses deleted · Undo" for a few seconds after a delete. Ctrl+Z runs
// the same undo while the toast is up. One toast at a time: a new delete replaces it, and
// the older delete simply stays deleted, as it would after the timeout.
import { byId } from "../dom";
import { messageOf } from "../forms";

const SHOW_FOR_MS = 7000;

interface Pending {
  undo: () => Promise<void>;
  timer: number;
}

let pending: Pending | null = null;

function parts(): { toast: HTMLElement; message: HTMLElement; undo: HTMLButtonElement } {
  return {
    toast: byId("toast", HTMLElement),
    message: byId("toast-message", HTMLElement),
    undo: byId("toast-undo", HTMLButtonElement),
  };
}

function hide(): void {
  if (pending !== null) {
    window.clearTimeout(pending.timer);
    pending = null;
  }
  parts().toast.hidden = true;
}

/** Wires the toast's buttons; called once at start-up. */
export function startToast(): void {
  const { undo } = parts();
  undo.addEventListener("click", () => {
    void undoLast();
  });
  byId("toast-close", HTMLButtonElement).addEventListener("click", hide);
}

/** Shows `message` with an Undo button that calls `undo`. */
export function showUndoToast(message: string, undo: () => Promise<void>): void {
  hide();
  const { toast, message: text, undo: button } = parts();
  text.textContent = message;
  button.hidden = false;
  toast.hidden = false;
  pending = { undo, timer: window.setTimeout(hide, SHOW_FOR_MS) };
}

/** Runs the pending undo, if any (the Undo button and Ctrl+Z). Returns whether there was one. */
export async function undoLast(): Promise<boolean> {
  const current = pending;
  if (current === null) {
    return false;
  }
  window.clearTimeout(current.timer);
  pending = null;
  const { toast, message, undo } = parts();
  try {
    await current.undo();
    hide();
  } catch (error: unknown) {
    message.textContent = `Could not undo: ${messageOf(error)}`;
    undo.hidden = true;
    toast.hidden = false;
    window.setTimeout(hide, SHOW_FOR_MS);
  }
  return true;
}
